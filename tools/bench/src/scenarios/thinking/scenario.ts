import { itemsOf, type ReadScenario } from '../types.js';

const PROCESSES = 10;
const STEPS = 20;

/** GET /api/workspaces/:id/thinking: the processes, then one LATERAL top-N for their steps (docs/queries.md). */
export const thinking: ReadScenario = {
  name: 'thinking',
  title: `Thinking, ${PROCESSES} processes × ${STEPS} steps`,
  doc: 'queries.md',
  path: (ctx) =>
    `/api/workspaces/${ctx.main[0]}/thinking?processes=${PROCESSES}&stepsPerProcess=${STEPS}`,
  check: thinkingCheck(PROCESSES, STEPS),
  sql: {
    path: (ctx) =>
      `/sql/thinking?workspaceId=${ctx.main[0]}&processes=${PROCESSES}&stepsPerProcess=${STEPS}`,
    mirror: 'tools/bench/src/scenarios/thinking/sql.ts',
  },
};

export function thinkingCheck(processes: number, steps: number) {
  return (body: unknown): string | undefined => {
    const items = itemsOf(body);
    if (items?.length !== processes) return `expected ${processes} processes, got ${items?.length}`;
    const short = items.filter((p) => (p as { steps?: unknown[] }).steps?.length !== steps);
    return short.length === 0 ? undefined : `${short.length} processes without ${steps} steps`;
  };
}
