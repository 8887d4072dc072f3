import { workspaceScope } from '../../../lib/query-keys';

/** Every query key of the goals feature (hooks, mutations and live appliers). */
export const goalKeys = {
  all: (workspaceId: string) => [...workspaceScope(workspaceId), 'goals'] as const,
  lists: (workspaceId: string) => [...goalKeys.all(workspaceId), 'list'] as const,
  list: (workspaceId: string, params: { limit: number }) =>
    [...goalKeys.lists(workspaceId), params] as const,
};
