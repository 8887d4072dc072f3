import { PAGING_SHAPE } from '../../lib/dataset.js';
import { itemsCheck, type ReadScenario } from '../types.js';

const PER_PAGE = 20;
const DEEP_PAGE = 500;
const list = (workspaceId: string) =>
  `/api/workspaces/${workspaceId}/thinking?processes=${PER_PAGE}&stepsPerProcess=0`;

/**
 * A page of thinking processes (no steps: the page itself is measured) of a
 * workspace of 10,020: page 1, and page 500 by its cursor. Keyset is one index
 * range scan on either; the baseline's OFFSET reads and drops every earlier row
 * (docs/queries.md).
 */
export const keysetFirst: ReadScenario = {
  name: 'keyset-page-1',
  title: `Keyset page 1 (${PER_PAGE} of ${PAGING_SHAPE.processes.toLocaleString('en')} processes)`,
  doc: 'queries.md',
  path: (ctx) => list(ctx.paging),
  check: itemsCheck(PER_PAGE),
};

export const keysetDeep: ReadScenario = {
  name: 'keyset-page-500',
  title: `Keyset page ${DEEP_PAGE} (after ${((DEEP_PAGE - 1) * PER_PAGE).toLocaleString('en')} rows)`,
  doc: 'queries.md',
  path: (ctx) => `${list(ctx.paging)}&cursor=${ctx.state.get('page500') ?? ''}`,
  check: itemsCheck(PER_PAGE),
  // Walks to page 500's cursor once (cursors are opaque), on the optimized API, 50 rows a step;
  // both sides accept it.
  prepare: async (ctx) => {
    const before = (DEEP_PAGE - 1) * PER_PAGE;
    let cursor: string | null = null;
    for (let skipped = 0; skipped < before;) {
      ctx.signal.throwIfAborted();
      const take = Math.min(50, before - skipped);
      const path: string =
        `/api/workspaces/${ctx.paging}/thinking?processes=${take}&stepsPerProcess=0` +
        (cursor === null ? '' : `&cursor=${cursor}`);
      const body: { nextCursor: string | null } = await ctx.apis.optimized.target.json('GET', path);
      if (!body.nextCursor) throw new Error(`the paging workspace ended after ${skipped} rows`);
      cursor = body.nextCursor;
      skipped += take;
    }
    ctx.state.set('page500', cursor ?? '');
  },
};
