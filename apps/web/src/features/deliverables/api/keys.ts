import { workspaceScope } from '../../../lib/query-keys';

/** Every query key of the deliverables feature (hooks, mutations and live appliers). */
export const deliverableKeys = {
  all: (workspaceId: string) => [...workspaceScope(workspaceId), 'deliverables'] as const,
  lists: (workspaceId: string) => [...deliverableKeys.all(workspaceId), 'list'] as const,
  list: (workspaceId: string, params: { limit: number }) =>
    [...deliverableKeys.lists(workspaceId), params] as const,
};
