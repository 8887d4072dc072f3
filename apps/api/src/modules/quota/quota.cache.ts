import { defineCache, defineCacheTag } from '../../infra/cache/cache-declaration.js';

/** The workspace's AI calls today. */
export const quotaTag = defineCacheTag({
  name: 'quota',
  changedBy: ['quota.used', 'workspace.deleted'],
  of: (workspaceId) => `ws:${workspaceId}:quota`,
});

/** GET /api/quota/status (and check): briefly, and dropped whenever a call is reserved. */
export const quotaStatusCache = defineCache<string>({
  name: 'quota',
  optimization: 'response-cache',
  defaults: { maxEntries: 100, ttlMs: 10_000 },
  key: (workspaceId) => `quota:${workspaceId}`,
  workspaceOf: (workspaceId) => workspaceId,
  dependsOn: [quotaTag],
});
