import { defineCache } from '../../infra/cache/cache-declaration.js';
import { agentsTag } from '../agents/agents.cache.js';
import { deliverablesTag } from '../deliverables/deliverables.cache.js';
import { goalsTag } from '../goals/goals.cache.js';
import { thinkingTag } from '../thinking/thinking.cache.js';
import { workspaceTag } from '../workspaces/workspaces.cache.js';

/** GET /api/workspaces/:id/dashboard: the whole page, until anything on it changes. */
export const dashboardCache = defineCache<string>({
  name: 'dashboard',
  optimization: 'response-cache',
  defaults: { maxEntries: 100, ttlMs: 60_000 },
  key: (workspaceId) => `dashboard:${workspaceId}`,
  workspaceOf: (workspaceId) => workspaceId,
  dependsOn: [workspaceTag, agentsTag, deliverablesTag, thinkingTag, goalsTag],
});
