import {
  type Agent,
  type AgentLite,
  type Deliverable,
  ErrorCode,
  type ErrorResponse,
  type Goal,
  PAGE_LIMIT_DEFAULT,
  PAGE_LIMIT_MAX,
  type Page,
  type ThinkingStep,
  type Workspace,
} from '@orch/contracts';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiResponse } from '../support/api-client.js';
import { factory, type TestUser } from '../support/factories.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/** A row as inserted: its id and its created_at, to build the expected order from. */
interface Seeded {
  id: string;
  created_at: Date;
}

/** (created_at, id) ascending; uuids compare as their lower-case hex text does in Postgres. */
const ascending = (a: Seeded, b: Seeded) =>
  a.created_at.getTime() - b.created_at.getTime() || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
const descending = (a: Seeded, b: Seeded) => ascending(b, a);

const SEEDED = 250;
const BASE = '2020-01-01T00:00:00.000Z';

interface Walk<T> {
  pages: T[][];
  ids: string[];
}

describe('keyset pagination', () => {
  let t: TestApp;
  let f: ReturnType<typeof factory>;
  let owner: TestUser;

  /**
   * Follows nextCursor from the first page to the last. `between` runs after
   * each page that has a next one; `during` runs alongside each later request.
   */
  async function walk<T extends { id: string }>(
    path: string,
    limit: number,
    hooks: { between?: () => Promise<unknown>; during?: () => Promise<unknown> } = {},
  ): Promise<Walk<T>> {
    const pages: T[][] = [];
    let cursor: string | null = null;
    do {
      const after: string = cursor ? `&cursor=${encodeURIComponent(cursor)}` : '';
      const url = `${path}${path.includes('?') ? '&' : '?'}limit=${limit}${after}`;
      const request: Promise<ApiResponse<Page<T>>> = t.api.get<Page<T>>(url, {
        token: owner.token,
      });
      const alongside: Promise<unknown> | undefined =
        cursor && hooks.during ? hooks.during() : undefined;
      const [res]: [ApiResponse<Page<T>>, unknown] = await Promise.all([request, alongside]);
      expect(res.status, res.text).toBe(200);
      pages.push(res.body.items);
      cursor = res.body.nextCursor;
      if (cursor && hooks.between) await hooks.between();
    } while (cursor && pages.length < 50);
    return { pages, ids: pages.flat().map((item) => item.id) };
  }

  const sizes = (w: Walk<unknown>) => w.pages.map((p) => p.length);

  /** 250 deliverables in one INSERT: 60 a millisecond apart, 150 in the same millisecond, 40 more. */
  async function seedDeliverables(workspaceId: string): Promise<Seeded[]> {
    return t.db.query<Seeded[]>(
      `INSERT INTO deliverables (workspace_id, title, content, content_hash, created_at, updated_at)
       SELECT $1, 'Seeded ' || i, 'Body ' || i, encode(sha256(convert_to('Body ' || i, 'UTF8')), 'hex'),
              ts, ts
         FROM (SELECT i, $2::timestamptz
                         + (CASE WHEN i < 60 THEN i WHEN i < 210 THEN 60 ELSE i - 149 END)
                         * interval '1 millisecond' AS ts
                 FROM generate_series(0, $3 - 1) AS i) s
       RETURNING id, created_at`,
      [workspaceId, BASE, SEEDED],
    );
  }

  /** 250 agents in one INSERT, all with the same created_at (the statement's now()). */
  async function seedAgents(workspaceId: string): Promise<Seeded[]> {
    const rows = await t.db.query<Seeded[]>(
      `INSERT INTO agents (workspace_id, name, role, model)
       SELECT $1, 'Bulk agent ' || i, 'worker', 'gpt-4o-mini' FROM generate_series(1, $2) AS i
       RETURNING id, created_at`,
      [workspaceId, SEEDED],
    );
    await t.db.query(
      `INSERT INTO agent_settings (agent_id, key, value)
       SELECT id, 'batch', 'b-' || id FROM agents WHERE workspace_id = $1`,
      [workspaceId],
    );
    return rows;
  }

  /** 250 steps of one process in one INSERT, 30 to a millisecond. */
  async function seedSteps(processId: string): Promise<Seeded[]> {
    return t.db.query<Seeded[]>(
      `INSERT INTO thinking_steps (process_id, kind, content, created_at)
       SELECT $1, 'reasoning', 'Seeded step ' || i,
              $2::timestamptz + (i / 30) * interval '1 millisecond'
         FROM generate_series(0, $3 - 1) AS i
       RETURNING id, created_at`,
      [processId, BASE, SEEDED],
    );
  }

  beforeAll(async () => {
    t = await startTestApp();
    f = factory(t.api);
    owner = await f.user();
  });
  afterAll(() => t.close());

  describe('deliverables (newest first)', () => {
    it('walks 250 rows in pages of 100/100/50 with nothing missing or repeated', async () => {
      const ws = await f.workspace(owner);
      const expected = (await seedDeliverables(ws.id)).sort(descending);
      // The page boundary falls inside a run of rows sharing one millisecond.
      expect(expected[99].created_at.getTime()).toBe(expected[100].created_at.getTime());
      expect(
        expected.filter((r) => r.created_at.getTime() === expected[100].created_at.getTime()),
      ).toHaveLength(150);

      const w = await walk<Deliverable>(`/api/workspaces/${ws.id}/deliverables`, 100);
      expect(sizes(w)).toEqual([100, 100, 50]);
      expect(new Set(w.ids).size).toBe(SEEDED);
      expect(w.ids).toEqual(expected.map((r) => r.id));
      expect(w.pages[2][49]).toMatchObject({ workspaceId: ws.id, title: 'Seeded 0' });
    });

    it('stays correct while newer rows are inserted between and during page requests', async () => {
      const ws = await f.workspace(owner);
      const expected = (await seedDeliverables(ws.id)).sort(descending).map((r) => r.id);
      let inserted = 0;
      const insertNewer = async () => {
        await f.deliverable(owner, ws.id, { title: 'Arrived mid-walk' });
        await t.db.query(
          `INSERT INTO deliverables (workspace_id, title, content, content_hash)
           SELECT $1, 'Bulk mid-walk', 'x', repeat('0', 64) FROM generate_series(1, 5)`,
          [ws.id],
        );
        inserted += 6;
      };

      const w = await walk<Deliverable>(`/api/workspaces/${ws.id}/deliverables`, 100, {
        between: insertNewer,
        during: insertNewer,
      });
      expect(inserted).toBe(24);
      expect(sizes(w)).toEqual([100, 100, 50]);
      expect(w.ids).toEqual(expected);
      expect(w.pages.flat().some((d) => d.title.includes('mid-walk'))).toBe(false);

      // A walk started now sees the newer rows first, then the same 250.
      const again = await walk<Deliverable>(`/api/workspaces/${ws.id}/deliverables`, 100);
      expect(again.ids).toHaveLength(SEEDED + inserted);
      expect(new Set(again.ids).size).toBe(SEEDED + inserted);
      expect(again.ids.slice(inserted)).toEqual(expected);
    });

    it('defaults to 20 items a page and allows up to 100', async () => {
      const ws = await f.workspace(owner);
      const expected = (await seedDeliverables(ws.id)).sort(descending).map((r) => r.id);
      const first = await t.api.get<Page<Deliverable>>(`/api/workspaces/${ws.id}/deliverables`, {
        token: owner.token,
      });
      expect(first.status).toBe(200);
      expect(first.body.items).toHaveLength(PAGE_LIMIT_DEFAULT);
      expect(first.body.items.map((d) => d.id)).toEqual(expected.slice(0, 20));
      expect(first.body.nextCursor).toEqual(expect.any(String));

      // The same cursor twice gives the same page.
      const next = `/api/workspaces/${ws.id}/deliverables?cursor=${encodeURIComponent(first.body.nextCursor!)}`;
      const [a, b] = [
        await t.api.get<Page<Deliverable>>(next, { token: owner.token }),
        await t.api.get<Page<Deliverable>>(next, { token: owner.token }),
      ];
      // Same items and cursor (the display-cache summary differs: the second read is all cached).
      expect(a.body.items).toEqual(b.body.items);
      expect(a.body.nextCursor).toEqual(b.body.nextCursor);
      expect(a.body.items.map((d) => d.id)).toEqual(expected.slice(20, 40));

      const max = await t.api.get<Page<Deliverable>>(
        `/api/workspaces/${ws.id}/deliverables?limit=${PAGE_LIMIT_MAX}`,
        { token: owner.token },
      );
      expect(max.status).toBe(200);
      expect(max.body.items).toHaveLength(100);
    });
  });

  describe('agents (newest first, 250 in one millisecond)', () => {
    let ws: Workspace;
    let expected: string[];

    beforeAll(async () => {
      ws = await f.workspace(owner);
      const seeded = await seedAgents(ws.id);
      expect(new Set(seeded.map((r) => r.created_at.getTime())).size).toBe(1);
      expected = seeded.sort(descending).map((r) => r.id);
    });

    it('walks the full and the lite view without skipping a tie', async () => {
      const full = await walk<Agent>(`/api/workspaces/${ws.id}/agents`, 100);
      expect(sizes(full)).toEqual([100, 100, 50]);
      expect(full.ids).toEqual(expected);
      for (const agent of full.pages.flat()) {
        expect(agent.settings).toEqual({ batch: `b-${agent.id}` });
      }

      const lite = await walk<AgentLite>(`/api/workspaces/${ws.id}/agents?view=lite`, 100);
      expect(sizes(lite)).toEqual([100, 100, 50]);
      expect(lite.ids).toEqual(expected);
    });

    it('stays correct while agents are created between page requests', async () => {
      const created: string[] = [];
      const w = await walk<Agent>(`/api/workspaces/${ws.id}/agents`, 100, {
        between: async () => created.push((await f.agent(owner, ws.id)).id),
        during: async () => created.push((await f.agent(owner, ws.id)).id),
      });
      expect(created).toHaveLength(4);
      expect(sizes(w)).toEqual([100, 100, 50]);
      expect(w.ids).toEqual(expected);
      for (const id of created) expect(w.ids).not.toContain(id);
    });
  });

  describe('thinking steps (oldest first)', () => {
    it('walks 250 steps in pages of 100/100/50, oldest first, nothing missing or repeated', async () => {
      const ws = await f.workspace(owner);
      const agent = await f.agent(owner, ws.id);
      const process = await f.process(owner, ws.id, agent.id);
      const expected = (await seedSteps(process.id)).sort(ascending);
      expect(expected[99].created_at.getTime()).toBe(expected[100].created_at.getTime());
      expect(expected[199].created_at.getTime()).toBe(expected[200].created_at.getTime());

      const w = await walk<ThinkingStep>(`/api/thinking/${process.id}/steps`, 100);
      expect(sizes(w)).toEqual([100, 100, 50]);
      expect(w.ids).toEqual(expected.map((r) => r.id));
      // The first page starts with the first millisecond's run of 30 (seeded as steps 0..29).
      expect(w.pages[0][0].processId).toBe(process.id);
      expect(Number(w.pages[0][0].content.replace('Seeded step ', ''))).toBeLessThan(30);
    });

    it('picks up steps appended mid-walk exactly once, at the end', async () => {
      const ws = await f.workspace(owner);
      const agent = await f.agent(owner, ws.id);
      const process = await f.process(owner, ws.id, agent.id);
      const seeded = (await seedSteps(process.id)).sort(ascending).map((r) => r.id);
      const appended: string[] = [];
      const w = await walk<ThinkingStep>(`/api/thinking/${process.id}/steps`, 100, {
        between: async () => appended.push((await f.step(owner, process.id)).id),
      });
      expect(appended).toHaveLength(2);
      expect(new Set(w.ids).size).toBe(w.ids.length);
      expect(w.ids).toEqual([...seeded, ...appended]);
      expect(sizes(w)).toEqual([100, 100, 52]);
    });
  });

  it('ends with nextCursor null on a full last page: no empty page after exactly 200 rows', async () => {
    const ws = await f.workspace(owner);
    const seeded = await t.db.query<Seeded[]>(
      `INSERT INTO goals (workspace_id, title, created_at, updated_at)
       SELECT $1, 'Goal ' || i, $2::timestamptz + (i / 40) * interval '1 ms', $2::timestamptz
         FROM generate_series(0, 199) AS i
       RETURNING id, created_at`,
      [ws.id, BASE],
    );
    const w = await walk<Goal>(`/api/workspaces/${ws.id}/goals`, 100);
    expect(sizes(w)).toEqual([100, 100]);
    expect(w.ids).toEqual(seeded.sort(descending).map((r) => r.id));
  });

  describe('refused parameters', () => {
    let paths: string[];

    beforeAll(async () => {
      const ws = await f.workspace(owner);
      const agent = await f.agent(owner, ws.id);
      const process = await f.process(owner, ws.id, agent.id);
      paths = [
        `/api/workspaces/${ws.id}/deliverables`,
        `/api/workspaces/${ws.id}/agents`,
        `/api/workspaces/${ws.id}/goals`,
        `/api/thinking/${process.id}/steps`,
        '/api/workspaces',
      ];
    });

    it('answers limit > 100, 0, negative, fractional or not a number with a 400 naming `limit`', async () => {
      for (const path of paths) {
        for (const limit of ['101', '0', '-5', '2.5', 'abc', '']) {
          const res = await t.api.get<ErrorResponse>(`${path}?limit=${limit}`, {
            token: owner.token,
          });
          expect(res.status, `${path}?limit=${limit}: ${res.text}`).toBe(400);
          expect(res.body.code).toBe(ErrorCode.ValidationFailed);
          expect(res.body.details?.map((d) => d.field)).toEqual(['limit']);
        }
      }
    });

    it('answers a cursor it did not issue with 400 INVALID_CURSOR', async () => {
      const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64url');
      const iso = new Date().toISOString();
      const garbage = [
        'garbage',
        '!!!!',
        b64('yesterday|' + randomUUID()),
        b64(`${iso}|not-a-uuid`),
        b64(`${iso}|${randomUUID()}|extra`),
        b64(randomUUID()),
        b64(`|${randomUUID()}`),
      ];
      for (const path of paths) {
        for (const cursor of garbage) {
          const res = await t.api.get<ErrorResponse>(
            `${path}?cursor=${encodeURIComponent(cursor)}`,
            { token: owner.token },
          );
          expect(res.status, `${path} cursor=${cursor}: ${res.text}`).toBe(400);
          expect(res.body).toEqual({
            statusCode: 400,
            error: 'Bad Request',
            message: expect.any(String),
            code: 'INVALID_CURSOR',
          });
        }
      }
    });

    it('answers a forged cursor with a date Postgres cannot hold with 400, not 500', async () => {
      const cursor = Buffer.from(`-271821-04-20T00:00:00.000Z|${randomUUID()}`, 'utf8').toString(
        'base64url',
      );
      const res = await t.api.get<ErrorResponse>(
        `${paths[0]}?cursor=${encodeURIComponent(cursor)}`,
        { token: owner.token },
      );
      expect(res.status, res.text).toBe(400);
      expect(res.body.code).toBe(ErrorCode.InvalidCursor);
    });
  });
});
