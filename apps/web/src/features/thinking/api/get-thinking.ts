import { infiniteQueryOptions, useInfiniteQuery } from '@tanstack/react-query';

import {
  THINKING_PROCESSES_DEFAULT,
  THINKING_STEPS_PER_PROCESS_DEFAULT,
  type Page,
  type ThinkingProcessWithSteps,
} from '@orch/contracts';

import { api } from '../../../lib/api-client';
import { livePolling } from '../../../lib/polling';
import { thinkingKeys, type ThinkingListParams } from './keys';

interface GetThinkingParams extends Partial<ThinkingListParams> {
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
  }: Partial<ThinkingListParams> = {},
) =>
  infiniteQueryOptions({
    queryKey: thinkingKeys.list(workspaceId, { processes, stepsPerProcess }),
    queryFn: ({ pageParam, signal }) =>
      getThinking({ workspaceId, processes, stepsPerProcess, cursor: pageParam, signal }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (lastPage) => lastPage.nextCursor ?? undefined,
    ...livePolling,
  });

export function useThinking(workspaceId: string, params: Partial<ThinkingListParams> = {}) {
  return useInfiniteQuery(thinkingQueryOptions(workspaceId, params));
}
