import { infiniteQueryOptions, useInfiniteQuery } from '@tanstack/react-query';

import { PAGE_LIMIT_DEFAULT, type DeliverableListResponse } from '@orch/contracts';

import { api } from '../../../lib/api-client';
import { livePolling } from '../../../lib/polling';
import { deliverableKeys } from './keys';

interface GetDeliverablesParams {
  workspaceId: string;
  limit?: number;
  cursor?: string;
  signal?: AbortSignal;
}

/** GET /api/workspaces/:id/deliverables: newest first, with cache-first display content. */
export function getDeliverables({
  workspaceId,
  limit = PAGE_LIMIT_DEFAULT,
  cursor,
  signal,
}: GetDeliverablesParams): Promise<DeliverableListResponse> {
  return api.get<DeliverableListResponse>(
    `/workspaces/${encodeURIComponent(workspaceId)}/deliverables`,
    {
      query: { limit, cursor },
      signal,
    },
  );
}

export const deliverablesQueryOptions = (
  workspaceId: string,
  { limit = PAGE_LIMIT_DEFAULT }: { limit?: number } = {},
) =>
  infiniteQueryOptions({
    queryKey: deliverableKeys.list(workspaceId, { limit }),
    queryFn: ({ pageParam, signal }) =>
      getDeliverables({ workspaceId, limit, cursor: pageParam, signal }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (lastPage) => lastPage.nextCursor ?? undefined,
    ...livePolling,
  });

export function useDeliverables(workspaceId: string, params: { limit?: number } = {}) {
  return useInfiniteQuery(deliverablesQueryOptions(workspaceId, params));
}
