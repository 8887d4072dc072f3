import { defineCacheTag } from '../../infra/cache/cache-declaration.js';

/**
 * The workspace's deliverables. This module caches no read of its own (display
 * content is cache-first from the row itself), but other modules' cached
 * reads show deliverables and depend on this tag.
 */
export const deliverablesTag = defineCacheTag({
  name: 'deliverables',
  changedBy: ['deliverable.created', 'deliverable.updated', 'workspace.deleted'],
  of: (workspaceId) => `ws:${workspaceId}:deliverables`,
});
