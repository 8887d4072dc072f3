import { MAIN_SHAPE } from '../../lib/dataset.js';
import type { ReadScenario } from '../types.js';

/** GET /api/workspaces/:id/dashboard: the 3-query read model and its cache (docs/queries.md, docs/caching.md). */
export const dashboard: ReadScenario = {
  name: 'dashboard',
  title: `Dashboard (${MAIN_SHAPE.agents} agents)`,
  doc: 'queries.md',
  path: (ctx) => `/api/workspaces/${ctx.main[0]}/dashboard`,
  check: (body) => {
    const agents = (body as { agents?: unknown[] } | null)?.agents?.length;
    return agents === MAIN_SHAPE.agents
      ? undefined
      : `expected ${MAIN_SHAPE.agents} agents, got ${agents}`;
  },
};
