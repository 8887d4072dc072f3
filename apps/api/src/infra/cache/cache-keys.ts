/**
 * Every cache key and invalidation tag comes from these builders, so the
 * reads and the invalidations can't drift apart. A key names one cached
 * value; a tag names what it depends on. A write invalidates tags.
 */
export const CACHE_NAMES = ['workspace', 'membership', 'dashboard', 'agents', 'quota'] as const;
export type CacheName = (typeof CACHE_NAMES)[number];

export const cacheKeys = {
  workspace: (workspaceId: string) => `workspace:${workspaceId}`,
  membership: (resource: string, id: string, userId: string) =>
    `membership:${resource}:${id}:${userId}`,
  dashboard: (workspaceId: string) => `dashboard:${workspaceId}`,
  agents: (workspaceId: string, view: string, limit: number, cursor: string | undefined) =>
    `agents:${workspaceId}:${view}:${limit}:${cursor ?? ''}`,
  quotaStatus: (workspaceId: string) => `quota:${workspaceId}`,
};

export const cacheTags = {
  /** The workspace row itself (name, description, owner). */
  workspace: (workspaceId: string) => `ws:${workspaceId}`,
  /** Who is a member of it, with which role. */
  members: (workspaceId: string) => `ws:${workspaceId}:members`,
  agents: (workspaceId: string) => `ws:${workspaceId}:agents`,
  deliverables: (workspaceId: string) => `ws:${workspaceId}:deliverables`,
  thinking: (workspaceId: string) => `ws:${workspaceId}:thinking`,
  goals: (workspaceId: string) => `ws:${workspaceId}:goals`,
  quota: (workspaceId: string) => `ws:${workspaceId}:quota`,
};
