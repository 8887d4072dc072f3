import { defineCacheTag } from '../../infra/cache/cache-declaration.js';

/**
 * The workspace's thinking processes (started, closed). A new step changes no
 * cached value: the thinking list itself is read from the database each time.
 */
export const thinkingTag = defineCacheTag({
  name: 'thinking',
  changedBy: ['thinking.process_changed', 'workspace.deleted'],
  of: (workspaceId) => `ws:${workspaceId}:thinking`,
});
