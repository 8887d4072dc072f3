import { infiniteQueryOptions, useInfiniteQuery } from '@tanstack/react-query';

import { PAGE_LIMIT_DEFAULT, type Agent, type Page } from '@orch/contracts';

import { api } from '../../../lib/api-client';
import { livePolling } from '../../../lib/polling';
import { agentKeys } from './keys';

interface GetAgentsParams {
  workspaceId: string;
  limit?: number;
  cursor?: string;
  signal?: AbortSignal;
}

/** GET /api/workspaces/:id/agents?view=full: agents with their settings. */
export function getAgents({
  workspaceId,
  limit = PAGE_LIMIT_DEFAULT,
  cursor,
  signal,
}: GetAgentsParams): Promise<Page<Agent>> {
  return api.get<Page<Agent>>(`/workspaces/${encodeURIComponent(workspaceId)}/agents`, {
    query: { limit, cursor, view: 'full' },
    signal,
  });
}

export const agentsQueryOptions = (
  workspaceId: string,
  { limit = PAGE_LIMIT_DEFAULT }: { limit?: number } = {},
) =>
  infiniteQueryOptions({
    queryKey: agentKeys.list(workspaceId, { view: 'full', limit }),
    queryFn: ({ pageParam, signal }) =>
      getAgents({ workspaceId, limit, cursor: pageParam, signal }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (lastPage) => lastPage.nextCursor ?? undefined,
    ...livePolling,
  });

export function useAgents(workspaceId: string, params: { limit?: number } = {}) {
  return useInfiniteQuery(agentsQueryOptions(workspaceId, params));
}
