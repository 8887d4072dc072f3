import type { DisplayContent } from '@orch/contracts';
import { expect } from 'vitest';
import { sanitizeHtml } from '../../src/modules/deliverables/display-content/render.js';
import type { ApiResponse } from './api-client.js';
import type { SqlRunner } from './factories.js';
import { fakeDisplay } from './fake-openai.js';

/** Helpers of the display-content specs (display-content.spec.ts, display-queue.spec.ts). */

/** What the app must serve for a deliverable the fake transformed: its reply, sanitised. */
export function expectedDisplay(d: { title: string; content: string }): DisplayContent {
  const reply = fakeDisplay(d.title, d.content);
  return { html: sanitizeHtml(reply.html), summary: reply.summary, outline: reply.outline };
}

export interface DisplayRow {
  content_hash: string;
  display_content: DisplayContent | null;
  display_content_hash: string | null;
  transform_version: string | null;
  transformed_at: Date | null;
  display_claim_expires_at: Date | null;
}

export async function displayRow(db: SqlRunner, id: string): Promise<DisplayRow> {
  const rows = await db.query<DisplayRow[]>(
    `SELECT content_hash, display_content, display_content_hash, transform_version, transformed_at,
            display_claim_expires_at
       FROM deliverables WHERE id = $1`,
    [id],
  );
  expect(rows, `deliverable ${id}`).toHaveLength(1);
  return rows[0];
}

/** The workspace's AI calls recorded for today (UTC), and how many usage rows it has. */
export async function aiUsage(
  db: SqlRunner,
  workspaceId: string,
): Promise<{ today: number; rows: number }> {
  const rows = await db.query<{ day_is_today: boolean; calls: number }[]>(
    `SELECT day = (now() AT TIME ZONE 'UTC')::date AS day_is_today, calls
       FROM ai_usage WHERE workspace_id = $1`,
    [workspaceId],
  );
  return { today: rows.find((r) => r.day_is_today)?.calls ?? 0, rows: rows.length };
}

export async function storedCount(db: SqlRunner, workspaceId: string): Promise<number> {
  const rows = await db.query<{ n: number }[]>(
    `SELECT count(*)::int AS n FROM deliverables
      WHERE workspace_id = $1 AND display_content IS NOT NULL`,
    [workspaceId],
  );
  return rows[0].n;
}

export async function timed<T>(work: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const started = performance.now();
  const value = await work();
  return { value, ms: performance.now() - started };
}

export async function waitUntil(check: () => boolean | Promise<boolean>, timeoutMs = 5_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function dbQueries(res: ApiResponse<unknown>): number {
  const header = res.headers.get('x-db-queries');
  expect(header, `X-DB-Queries of ${res.text.slice(0, 200)}`).toMatch(/^\d+$/);
  return Number(header);
}
