import { workspaceScope } from '../../../lib/query-keys';

/**
 * Every query key of the workspaces feature. Hooks, mutations and the live appliers all
 * build keys here, so an update can't miss a view by spelling its key differently.
 */
export const workspaceKeys = {
  /** The signed-in user's workspaces: not scoped to one, it is the list of them. */
  lists: () => ['workspaces', 'list'] as const,
  list: (params: { limit: number }) => [...workspaceKeys.lists(), params] as const,
  dashboard: (workspaceId: string) => [...workspaceScope(workspaceId), 'dashboard'] as const,
};
