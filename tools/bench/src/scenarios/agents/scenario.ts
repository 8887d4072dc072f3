import { MAIN_SHAPE } from '../../lib/dataset.js';
import { itemsCheck, itemsOf, type ReadScenario } from '../types.js';

const limit = MAIN_SHAPE.agents;

/** GET /api/workspaces/:id/agents: the page, then one IN-list for the settings (docs/queries.md). */
export const agentsFull: ReadScenario = {
  name: 'agents-full',
  title: `Agents, full (${limit} × ${MAIN_SHAPE.settings} settings)`,
  doc: 'queries.md',
  path: (ctx) => `/api/workspaces/${ctx.main[0]}/agents?limit=${limit}`,
  check: (body) => {
    const problem = itemsCheck(limit)(body);
    if (problem) return problem;
    const short = itemsOf(body)!.filter(
      (a) =>
        Object.keys((a as { settings?: object }).settings ?? {}).length !== MAIN_SHAPE.settings,
    );
    return short.length === 0
      ? undefined
      : `${short.length} agents without ${MAIN_SHAPE.settings} settings`;
  },
  sql: {
    path: (ctx) => `/sql/agents?workspaceId=${ctx.main[0]}&limit=${limit}`,
    mirror: 'tools/bench/src/scenarios/agents/sql.ts',
  },
};

/** `view=lite`: four columns, no settings. */
export const agentsLite: ReadScenario = {
  name: 'agents-lite',
  title: `Agents, lite (${limit})`,
  doc: 'queries.md',
  path: (ctx) => `/api/workspaces/${ctx.main[0]}/agents?view=lite&limit=${limit}`,
  check: itemsCheck(limit),
};
