import { infiniteQueryOptions, useInfiniteQuery } from '@tanstack/react-query';

import { type Goal, PAGE_LIMIT_MAX, type Page } from '@orch/contracts';

import { api } from '../../../lib/api-client';
import { livePolling } from '../../../lib/polling';
import { goalKeys } from './keys';

interface GetGoalsParams {
  workspaceId: string;
  limit?: number;
  cursor?: string;
  signal?: AbortSignal;
}

/** GET /api/workspaces/:id/goals, newest first. */
export function getGoals({ workspaceId, limit = PAGE_LIMIT_MAX, cursor, signal }: GetGoalsParams) {
  return api.get<Page<Goal>>(`/workspaces/${encodeURIComponent(workspaceId)}/goals`, {
    query: { limit, cursor },
    signal,
  });
}

/** A workspace has a handful of goals: one page of up to 100 holds them. */
export const goalsQueryOptions = (workspaceId: string, { limit = PAGE_LIMIT_MAX } = {}) =>
  infiniteQueryOptions({
    queryKey: goalKeys.list(workspaceId, { limit }),
    queryFn: ({ pageParam, signal }) => getGoals({ workspaceId, limit, cursor: pageParam, signal }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (lastPage) => lastPage.nextCursor ?? undefined,
    ...livePolling,
  });

export function useGoals(workspaceId: string) {
  return useInfiniteQuery(goalsQueryOptions(workspaceId));
}
