import { infiniteQueryOptions, useInfiniteQuery } from '@tanstack/react-query';

import { PAGE_LIMIT_DEFAULT, type Page, type WorkspaceForUser } from '@orch/contracts';

import { api } from '../../../lib/api-client';
import { workspaceKeys } from './keys';

interface GetWorkspacesParams {
  limit?: number;
  cursor?: string;
  signal?: AbortSignal;
}

/** GET /api/workspaces: the workspaces the signed-in user belongs to. */
export function getWorkspaces({
  limit = PAGE_LIMIT_DEFAULT,
  cursor,
  signal,
}: GetWorkspacesParams = {}): Promise<Page<WorkspaceForUser>> {
  return api.get<Page<WorkspaceForUser>>('/workspaces', { query: { limit, cursor }, signal });
}

export const workspacesQueryOptions = ({ limit = PAGE_LIMIT_DEFAULT }: { limit?: number } = {}) =>
  infiniteQueryOptions({
    queryKey: workspaceKeys.list({ limit }),
    queryFn: ({ pageParam, signal }) => getWorkspaces({ limit, cursor: pageParam, signal }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (lastPage) => lastPage.nextCursor ?? undefined,
  });

export function useWorkspaces(params: { limit?: number } = {}) {
  return useInfiniteQuery(workspacesQueryOptions(params));
}
