import { infiniteQueryOptions, useInfiniteQuery } from '@tanstack/react-query';

import {
  THINKING_PROCESSES_DEFAULT,
  THINKING_STEPS_PER_PROCESS_DEFAULT,
  type Page,
  type ThinkingProcessWithSteps,
} from '@orch/contracts';

import { api } from '../../../lib/api-client';
import { workspaceScope } from '../../../lib/query-keys';

interface ThinkingParams {
  /** Processes per page, most recent first. */
  processes?: number;
  /** Latest steps of each process, returned oldest first. */
  stepsPerProcess?: number;
}

interface GetThinkingParams extends ThinkingParams {
  workspaceId: string;
  cursor?: string;
  signal?: AbortSignal;
}

/** GET /api/workspaces/:id/thinking: recent processes, each with its latest steps, batched. */
export function getThinking({
  workspaceId,
  processes = THINKING_PROCESSES_DEFAULT,
  stepsPerProcess = THINKING_STEPS_PER_PROCESS_DEFAULT,
  cursor,
  signal,
}: GetThinkingParams): Promise<Page<ThinkingProcessWithSteps>> {
  return api.get<Page<ThinkingProcessWithSteps>>(
    `/workspaces/${encodeURIComponent(workspaceId)}/thinking`,
    { query: { processes, stepsPerProcess, cursor }, signal },
  );
}

export const thinkingQueryOptions = (
  workspaceId: string,
  {
    processes = THINKING_PROCESSES_DEFAULT,
    stepsPerProcess = THINKING_STEPS_PER_PROCESS_DEFAULT,
  }: ThinkingParams = {},
) =>
  infiniteQueryOptions({
    queryKey: [...workspaceScope(workspaceId), 'thinking', { processes, stepsPerProcess }] as const,
    queryFn: ({ pageParam, signal }) =>
      getThinking({ workspaceId, processes, stepsPerProcess, cursor: pageParam, signal }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (lastPage) => lastPage.nextCursor ?? undefined,
  });

export function useThinking(workspaceId: string, params: ThinkingParams = {}) {
  return useInfiniteQuery(thinkingQueryOptions(workspaceId, params));
}
