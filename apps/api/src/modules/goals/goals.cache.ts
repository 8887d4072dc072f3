import { defineCacheTag } from '../../infra/cache/cache-declaration.js';

/** The workspace's goals: created, edited, or re-evaluated. */
export const goalsTag = defineCacheTag({
  name: 'goals',
  changedBy: ['goal.updated', 'workspace.deleted'],
  of: (workspaceId) => `ws:${workspaceId}:goals`,
});
