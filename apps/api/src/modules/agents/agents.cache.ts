import { defineCache, defineCacheTag } from '../../infra/cache/cache-declaration.js';

/** The workspace's agents: any field, status or setting of any of them. */
export const agentsTag = defineCacheTag({
  name: 'agents',
  changedBy: ['agent.updated', 'workspace.deleted'],
  of: (workspaceId) => `ws:${workspaceId}:agents`,
});

export interface AgentListKey {
  workspaceId: string;
  view: 'full' | 'lite';
  limit: number;
  cursor: string | undefined;
}

/** GET /api/workspaces/:id/agents, each page and view, until an agent changes. */
export const agentListCache = defineCache<AgentListKey>({
  name: 'agents',
  optimization: 'response-cache',
  defaults: { maxEntries: 500, ttlMs: 60_000 },
  key: ({ workspaceId, view, limit, cursor }) =>
    `agents:${workspaceId}:${view}:${limit}:${cursor ?? ''}`,
  workspaceOf: ({ workspaceId }) => workspaceId,
  dependsOn: [agentsTag],
});
