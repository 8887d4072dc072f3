import type { ReadScenario } from '../types.js';

/** GET /api/workspaces/:id: the workspace metadata cache (docs/caching.md). */
export const workspace: ReadScenario = {
  name: 'workspace',
  title: 'Workspace metadata (cached)',
  doc: 'caching.md',
  path: (ctx) => `/api/workspaces/${ctx.main[0]}`,
  check: (body, ctx) =>
    (body as { id?: unknown } | null)?.id === ctx.main[0]
      ? undefined
      : 'not the workspace asked for',
};
