import { defineCache, defineCacheTag } from '../../infra/cache/cache-declaration.js';

/** The workspace row itself: name, description, owner. */
export const workspaceTag = defineCacheTag({
  name: 'workspace',
  changedBy: ['workspace.updated', 'workspace.deleted'],
  of: (workspaceId) => `ws:${workspaceId}`,
});

/** Who is a member of the workspace, with which role. */
export const membersTag = defineCacheTag({
  name: 'members',
  changedBy: ['workspace.members_changed', 'workspace.deleted'],
  of: (workspaceId) => `ws:${workspaceId}:members`,
});

/** GET /api/workspaces/:id: the metadata, until the workspace changes. */
export const workspaceCache = defineCache<string>({
  name: 'workspace',
  optimization: 'workspace-cache',
  defaults: { maxEntries: 100, ttlMs: 300_000 },
  key: (workspaceId) => `workspace:${workspaceId}`,
  workspaceOf: (workspaceId) => workspaceId,
  dependsOn: [workspaceTag],
});

/** The access check of workspace routes: a user's role in a workspace (or none), until membership changes. */
export const membershipCache = defineCache<{ workspaceId: string; userId: string }>({
  name: 'membership',
  optimization: 'workspace-cache',
  defaults: { maxEntries: 1_000, ttlMs: 300_000 },
  key: ({ workspaceId, userId }) => `membership:workspace:${workspaceId}:${userId}`,
  workspaceOf: ({ workspaceId }) => workspaceId,
  dependsOn: [membersTag],
});
