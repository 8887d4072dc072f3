import type { Api } from '../../lib/api.js';
import { sleep } from '../../lib/processes.js';
import { itemsCheck, itemsOf, type ReadScenario } from '../types.js';

/** The list: 17 deliverables, the newest of the first workspace (it holds 200). */
const count = 17;
const path = (workspaceId: string) => `/api/workspaces/${workspaceId}/deliverables?limit=${count}`;

/**
 * GET /api/workspaces/:id/deliverables with 17 deliverables and the AI provider
 * on (the harness's fake, `--provider-ms` per call): the baseline transforms
 * every item on every read, the optimized API serves what it stored
 * (docs/display-content.md). A baseline list takes seconds: it runs with the
 * slow-read settings (fewer connections, a longer timeout).
 */
export const deliverables: ReadScenario = {
  name: 'deliverables-ai',
  title: `Deliverables list, ${count} items, AI provider on`,
  doc: 'display-content.md',
  path: (ctx) => path(ctx.main[0]),
  check: itemsCheck(count),
  slow: true,
  // The per-read summary (`displayCache`) differs by design; the items must not.
  comparable: (body) => itemsOf(body),
  // The optimized API transforms each item once (on the read, or in the background):
  // list until every one is displayed.
  prepare: (ctx) => untilDisplayed(ctx.apis.optimized, path(ctx.main[0]), ctx.signal),
};

/** Lists `path` on `api` until every item is `ready`; fails after two minutes. */
export async function untilDisplayed(api: Api, path: string, signal: AbortSignal): Promise<void> {
  const deadline = performance.now() + 120_000;
  for (;;) {
    signal.throwIfAborted();
    const body = await api.target.json('GET', path);
    const items = itemsOf(body) ?? [];
    const pending = items.filter(
      (d) => (d as { displayStatus?: string }).displayStatus !== 'ready',
    ).length;
    if (pending === 0) return;
    if (performance.now() > deadline) {
      throw new Error(`${path}: ${pending} of ${items.length} deliverables not ready after 120 s`);
    }
    await sleep(200);
  }
}
