import {
  type Agent,
  APPEND_STEPS_MAX,
  type AppendStepRequest,
  type AppendStepsRequest,
  type AppendStepsResponse,
  ErrorCode,
  type ErrorResponse,
  type Page,
  THINKING_STEP_KINDS,
  type ThinkingProcess,
  ThinkingProcessStatus,
  type ThinkingStep,
  type Workspace,
} from '@orch/contracts';
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QueryAccounting } from '../../src/infra/database/query-accounting.js';
import type { ApiResponse } from '../support/api-client.js';
import { countRows, factory, type TestUser } from '../support/factories.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

function dbQueries(res: ApiResponse<unknown>): number {
  const header = res.headers.get('x-db-queries');
  expect(header, `X-DB-Queries of ${res.text.slice(0, 200)}`).toMatch(/^\d+$/);
  return Number(header);
}

const fieldsOf = (res: ApiResponse<unknown>) =>
  ((res.body as ErrorResponse).details ?? []).map((d) => d.field).sort();

/** `count` steps, kinds cycling, contents numbered from `from`. */
const stepsOf = (count: number, label = 'step', from = 0): AppendStepRequest[] =>
  Array.from({ length: count }, (_, i) => ({
    kind: THINKING_STEP_KINDS[(from + i) % THINKING_STEP_KINDS.length],
    content: `${label} ${from + i}`,
  }));

interface StoredStep {
  id: string;
  kind: string;
  content: string;
  created_at: Date;
}

describe('POST /api/thinking/:processId/steps/bulk', () => {
  let t: TestApp;
  let f: ReturnType<typeof factory>;
  let owner: TestUser;
  let ws: Workspace;
  let agent: Agent;

  const bulk = (processId: string, body: unknown, user: TestUser = owner) =>
    t.api.post<AppendStepsResponse>(`/api/thinking/${processId}/steps/bulk`, body, {
      token: user.token,
    });
  const stored = (processId: string) =>
    t.db.query<StoredStep[]>(
      `SELECT id, kind, content, created_at FROM thinking_steps
        WHERE process_id = $1 ORDER BY created_at, id`,
      [processId],
    );
  const newProcess = () => f.process(owner, ws.id, agent.id);

  beforeAll(async () => {
    t = await startTestApp();
    f = factory(t.api);
    owner = await f.user();
    ws = await f.workspace(owner);
    agent = await f.agent(owner, ws.id);
  });
  afterAll(() => t?.close());

  it(`stores ${APPEND_STEPS_MAX} steps in order, in one statement after the access check`, async () => {
    const process = await newProcess();
    const steps = stepsOf(APPEND_STEPS_MAX);
    let res: ApiResponse<AppendStepsResponse> | undefined;
    const statements = await t.app.get(QueryAccounting).record(async () => {
      res = await bulk(process.id, { steps } satisfies AppendStepsRequest);
    });
    expect(res?.status, res?.text).toBe(201);
    expect(dbQueries(res!)).toBe(2);
    expect(statements).toHaveLength(2);
    expect(statements[0].sql).toMatch(/workspace_members/);
    expect(statements[1].sql).toMatch(/INSERT INTO thinking_steps/);

    const items = res!.body.items;
    expect(items.map(({ kind, content }) => ({ kind, content }))).toEqual(steps);
    for (const item of items) {
      expect(item).toEqual({
        id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        processId: process.id,
        kind: expect.any(String),
        content: expect.any(String),
        createdAt: expect.any(String),
      });
    }
    // Oldest first, every one later than the one before.
    const times = items.map((s) => Date.parse(s.createdAt));
    times.slice(1).forEach((time, i) => expect(time).toBeGreaterThan(times[i]));
    expect(new Set(items.map((s) => s.id)).size).toBe(APPEND_STEPS_MAX);

    const rows = await stored(process.id);
    expect(rows.map((r) => r.id)).toEqual(items.map((s) => s.id));
    expect(rows.map((r) => r.created_at.toISOString())).toEqual(items.map((s) => s.createdAt));

    const listed = await t.api.get<Page<ThinkingStep>>(
      `/api/thinking/${process.id}/steps?limit=${APPEND_STEPS_MAX}`,
      { token: owner.token },
    );
    expect(listed.status).toBe(200);
    expect(listed.body.items).toEqual(items);
  });

  it('touches the process: its updatedAt moves forward', async () => {
    const process = await newProcess();
    await new Promise((resolve) => setTimeout(resolve, 5));
    const res = await bulk(process.id, { steps: stepsOf(2) });
    expect(res.status, res.text).toBe(201);
    const after = await t.api.get<ThinkingProcess>(`/api/thinking/${process.id}`, {
      token: owner.token,
    });
    expect(Date.parse(after.body.updatedAt)).toBeGreaterThan(Date.parse(process.updatedAt));
  });

  it(`refuses ${APPEND_STEPS_MAX + 1} steps with a 400 naming steps, and writes nothing`, async () => {
    const process = await newProcess();
    const res = await bulk(process.id, { steps: stepsOf(APPEND_STEPS_MAX + 1) });
    expect(res.status, res.text).toBe(400);
    expect((res.body as unknown as ErrorResponse).code).toBe(ErrorCode.ValidationFailed);
    expect(fieldsOf(res)).toEqual(['steps']);
    expect(dbQueries(res)).toBe(1);
    expect(await countRows(t.db, 'thinking_steps', 'process_id = $1', [process.id])).toBe(0);
  });

  it('refuses no steps, and a body without steps', async () => {
    const process = await newProcess();
    for (const body of [{ steps: [] }, {}, { steps: 'observation' }]) {
      const res = await bulk(process.id, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(fieldsOf(res), JSON.stringify(body)).toEqual(['steps']);
    }
    expect(await countRows(t.db, 'thinking_steps', 'process_id = $1', [process.id])).toBe(0);
  });

  it('a bad step inside is named by its index (steps.3.kind) and no step is written', async () => {
    const process = await newProcess();
    const steps: unknown[] = stepsOf(6);
    steps[3] = { kind: 'daydream', content: 'not a kind' };
    const res = await bulk(process.id, { steps });
    expect(res.status, res.text).toBe(400);
    expect(fieldsOf(res)).toEqual(['steps.3.kind']);

    steps[3] = stepsOf(1)[0];
    steps[1] = { kind: 'reasoning', content: '   ' };
    steps[5] = { kind: 'result', content: 'ok', extra: true };
    const more = await bulk(process.id, { steps });
    expect(more.status, more.text).toBe(400);
    expect(fieldsOf(more)).toEqual(['steps.1.content', 'steps.5.extra']);
    expect(await countRows(t.db, 'thinking_steps', 'process_id = $1', [process.id])).toBe(0);
  });

  it.each([ThinkingProcessStatus.Completed, ThinkingProcessStatus.Failed])(
    'a %s process answers 409 THINKING_PROCESS_CLOSED and keeps its steps as they were',
    async (status) => {
      const process = await newProcess();
      expect((await bulk(process.id, { steps: stepsOf(2) })).status).toBe(201);
      const closed = await t.api.patch<ThinkingProcess>(
        `/api/thinking/${process.id}`,
        { status },
        { token: owner.token },
      );
      expect(closed.status, closed.text).toBe(200);
      const before = await t.api.get<ThinkingProcess>(`/api/thinking/${process.id}`, {
        token: owner.token,
      });
      const res = await bulk(process.id, { steps: stepsOf(3, 'late') });
      expect(res.status, res.text).toBe(409);
      expect(res.body).toMatchObject({ statusCode: 409, code: ErrorCode.ThinkingProcessClosed });
      expect(dbQueries(res)).toBe(2);
      expect((await stored(process.id)).map((r) => r.content)).toEqual(['step 0', 'step 1']);
      const after = await t.api.get<ThinkingProcess>(`/api/thinking/${process.id}`, {
        token: owner.token,
      });
      expect(after.body).toEqual(before.body);
    },
  );

  it('answers 404 for a process that does not exist or is in a workspace the caller is not in', async () => {
    const process = await newProcess();
    const stranger = await f.user();
    for (const [id, user] of [
      [randomUUID(), owner],
      [process.id, stranger],
    ] as const) {
      const res = await bulk(id, { steps: stepsOf(1) }, user);
      expect(res.status, res.text).toBe(404);
    }
    expect(await countRows(t.db, 'thinking_steps', 'process_id = $1', [process.id])).toBe(0);
  });

  it('single appends after a bulk (and a bulk after them) keep the order they were sent in', async () => {
    const process = await newProcess();
    const sent: string[] = [];
    const expectCreated = (res: ApiResponse<unknown>) => expect(res.status, res.text).toBe(201);

    const first = stepsOf(50, 'bulk-a');
    expectCreated(await bulk(process.id, { steps: first }));
    sent.push(...first.map((s) => s.content));
    for (let i = 0; i < 5; i++) {
      const single = await f.step(owner, process.id, `single ${i}`);
      sent.push(single.content);
    }
    const second = stepsOf(3, 'bulk-b');
    expectCreated(await bulk(process.id, { steps: second }));
    sent.push(...second.map((s) => s.content));
    sent.push((await f.step(owner, process.id, 'last')).content);

    const rows = await stored(process.id);
    expect(rows.map((r) => r.content)).toEqual(sent);
    const times = rows.map((r) => r.created_at.getTime());
    times
      .slice(1)
      .forEach((time, i) => expect(time, rows[i + 1].content).toBeGreaterThan(times[i]));

    // Paging through the list with its cursor yields the same order.
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: ApiResponse<Page<ThinkingStep>> = await t.api.get<Page<ThinkingStep>>(
        `/api/thinking/${process.id}/steps?limit=7${cursor ? `&cursor=${cursor}` : ''}`,
        { token: owner.token },
      );
      expect(page.status).toBe(200);
      seen.push(...page.body.items.map((s) => s.content));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual(sent);
  });

  it('a bulk that waited behind another append still lands after it, not inside it', async () => {
    // Two appends to one process, the second sent ~20 ms after the first while both wait for the
    // process row (held here by another transaction, as a PATCH or a slow append would hold it).
    // They run one after the other; the second must not be stamped inside the first's range.
    const process = await newProcess();
    expect((await bulk(process.id, { steps: stepsOf(1, 'before') })).status).toBe(201);
    const locker = new Client({ connectionString: t.database.url });
    await locker.connect();
    let first: Promise<ApiResponse<AppendStepsResponse>>;
    let second: Promise<ApiResponse<AppendStepsResponse>>;
    try {
      await locker.query('BEGIN');
      await locker.query('SELECT id FROM thinking_processes WHERE id = $1 FOR UPDATE', [
        process.id,
      ]);
      const waiting = async (n: number) => {
        for (let i = 0; i < 500; i++) {
          // Inside a transaction the activity view is a snapshot: refresh it on every look.
          await locker.query('SELECT pg_stat_clear_snapshot()');
          const { rows } = await locker.query<{ n: number }>(
            `SELECT count(*)::int AS n FROM pg_stat_activity
              WHERE datname = current_database() AND wait_event_type = 'Lock'`,
          );
          if (rows[0].n >= n) return;
          await new Promise((resolve) => setTimeout(resolve, 5));
        }
        throw new Error(`never saw ${n} appends waiting`);
      };
      first = bulk(process.id, { steps: stepsOf(APPEND_STEPS_MAX, 'first') });
      await waiting(1);
      await new Promise((resolve) => setTimeout(resolve, 20));
      second = bulk(process.id, { steps: stepsOf(10, 'second') });
      await waiting(2);
    } finally {
      await locker.query('COMMIT');
      await locker.end();
    }
    const [a, b] = await Promise.all([first, second]);
    expect(a.status, a.text).toBe(201);
    expect(b.status, b.text).toBe(201);
    const rows = await stored(process.id);
    const order = rows.map((r) => r.content.split(' ')[0]);
    const runs = order.filter((label, i) => i === 0 || order[i - 1] !== label);
    expect(runs).toEqual(['before', 'first', 'second']);
    const times = rows.map((r) => r.created_at.getTime());
    times
      .slice(1)
      .forEach((time, i) => expect(time, rows[i + 1].content).toBeGreaterThan(times[i]));
  });
});
