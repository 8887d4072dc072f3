import { queryOptions } from '@tanstack/react-query';

import type { ThinkingProcess } from '@orch/contracts';

import { api } from '../../../lib/api-client';
import { thinkingKeys } from './keys';

/** GET /api/thinking/:processId: one process, without its steps (~300 bytes). */
export function getThinkingProcess(processId: string, signal?: AbortSignal) {
  return api.get<ThinkingProcess>(`/thinking/${encodeURIComponent(processId)}`, { signal });
}

/**
 * A process a pushed step belongs to but the list doesn't have yet (the server announces a
 * new process only with its first step). Fetched once and kept: a process's identity
 * doesn't change, and a burst of steps for it shares the one request.
 */
export const thinkingProcessQueryOptions = (workspaceId: string, processId: string) =>
  queryOptions({
    queryKey: thinkingKeys.process(workspaceId, processId),
    queryFn: ({ signal }) => getThinkingProcess(processId, signal),
    staleTime: Infinity,
  });
