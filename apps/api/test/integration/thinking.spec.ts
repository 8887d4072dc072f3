import {
  type Agent,
  type AppendStepRequest,
  ErrorCode,
  type ErrorResponse,
  type Page,
  type StartThinkingRequest,
  THINKING_STEP_KINDS,
  type ThinkingProcess,
  type ThinkingProcessWithSteps,
  type ThinkingStep,
  type UpdateThinkingProcessRequest,
  type Workspace,
} from '@orch/contracts';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiResponse } from '../support/api-client.js';
import { countRows, factory, type TestUser } from '../support/factories.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

function expectError(res: ApiResponse<unknown>, status: number, code: ErrorCode): ErrorResponse {
  expect(res.status, res.text).toBe(status);
  const body = res.body as ErrorResponse;
  expect(body).toMatchObject({ statusCode: status, code });
  expect(typeof body.message).toBe('string');
  return body;
}

const fieldsOf = (res: ApiResponse<unknown>) =>
  ((res.body as ErrorResponse).details ?? []).map((d) => d.field).sort();

/** The API's order for keyset lists: created_at, then id. */
const byCreation = <T extends { createdAt: string; id: string }>(a: T, b: T) =>
  a.createdAt.localeCompare(b.createdAt) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

describe('thinking', () => {
  let t: TestApp;
  let f: ReturnType<typeof factory>;
  let owner: TestUser;
  let ws: Workspace;
  let agent: Agent;

  const start = (body: unknown, workspaceId = ws.id) =>
    t.api.post<ThinkingProcess>(`/api/workspaces/${workspaceId}/thinking`, body, {
      token: owner.token,
    });
  const append = (processId: string, body: unknown) =>
    t.api.post<ThinkingStep>(`/api/thinking/${processId}/steps`, body, { token: owner.token });
  const setStatus = (processId: string, body: unknown) =>
    t.api.patch<ThinkingProcess>(`/api/thinking/${processId}`, body, { token: owner.token });

  beforeAll(async () => {
    t = await startTestApp();
    f = factory(t.api);
    owner = await f.user();
    ws = await f.workspace(owner);
    agent = await f.agent(owner, ws.id);
  });
  afterAll(() => t.close());

  it('starts a running process for an agent of the workspace', async () => {
    const body = { agentId: agent.id, title: '  Plan the review ' } satisfies StartThinkingRequest;
    const res = await start(body);
    expect(res.status, res.text).toBe(201);
    expect(res.body).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      workspaceId: ws.id,
      agentId: agent.id,
      title: 'Plan the review',
      status: 'running',
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
    });
    const rows = await t.db.query<{ agent_id: string; workspace_id: string; status: string }[]>(
      `SELECT agent_id, workspace_id, status FROM thinking_processes WHERE id = $1`,
      [res.body.id],
    );
    expect(rows).toEqual([{ agent_id: agent.id, workspace_id: ws.id, status: 'running' }]);

    const got = await t.api.get<ThinkingProcess>(`/api/thinking/${res.body.id}`, {
      token: owner.token,
    });
    expect(got.status).toBe(200);
    expect(got.body).toEqual(res.body);
  });

  it('refuses an agent outside the workspace, or a bad body, with a 400 and no row', async () => {
    const stranger = await f.user();
    const foreign = await f.agent(stranger, (await f.workspace(stranger)).id);
    const before = await countRows(t.db, 'thinking_processes');
    for (const agentId of [foreign.id, randomUUID()]) {
      const res = await start({ agentId, title: 'Borrowed agent' });
      expectError(res, 400, ErrorCode.ValidationFailed);
      expect(fieldsOf(res)).toEqual(['agentId']);
    }
    const bad = await start({ agentId: 'agent-1', title: '', status: 'completed' });
    expectError(bad, 400, ErrorCode.ValidationFailed);
    expect(fieldsOf(bad)).toEqual(['agentId', 'status', 'title']);
    const empty = await start({});
    expect(fieldsOf(empty)).toEqual(['agentId', 'title']);
    expect(await countRows(t.db, 'thinking_processes')).toBe(before);
  });

  it('refuses a terminated agent with 409 AGENT_TERMINATED and writes no row', async () => {
    const retired = await f.agent(owner, ws.id);
    const res = await t.api.patch(
      `/api/agents/${retired.id}`,
      { status: 'terminated' },
      {
        token: owner.token,
      },
    );
    expect(res.status).toBe(200);
    const refused = await start({ agentId: retired.id, title: 'One more thought' });
    expectError(refused, 409, ErrorCode.AgentTerminated);
    expect(await countRows(t.db, 'thinking_processes', 'agent_id = $1', [retired.id])).toBe(0);
  });

  it('appends steps of every kind and stores them', async () => {
    const process = await f.process(owner, ws.id, agent.id);
    const made: ThinkingStep[] = [];
    for (const kind of THINKING_STEP_KINDS) {
      const body = { kind, content: `A ${kind}` } satisfies AppendStepRequest;
      const res = await append(process.id, body);
      expect(res.status, res.text).toBe(201);
      expect(res.body).toEqual({
        id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        processId: process.id,
        kind,
        content: `A ${kind}`,
        createdAt: expect.any(String),
      });
      made.push(res.body);
    }
    const rows = await t.db.query<{ id: string; kind: string; content: string }[]>(
      `SELECT id, kind, content FROM thinking_steps WHERE process_id = $1 ORDER BY created_at, id`,
      [process.id],
    );
    expect(rows).toEqual(
      [...made].sort(byCreation).map(({ id, kind, content }) => ({ id, kind, content })),
    );
  });

  it('refuses a bad step naming the fields, and writes no row', async () => {
    const process = await f.process(owner, ws.id, agent.id);
    const res = await append(process.id, { kind: 'musing', content: '', at: 'now' });
    expectError(res, 400, ErrorCode.ValidationFailed);
    expect(fieldsOf(res)).toEqual(['at', 'content', 'kind']);
    const missing = await append(process.id, {});
    expect(fieldsOf(missing)).toEqual(['content', 'kind']);
    expect(await countRows(t.db, 'thinking_steps', 'process_id = $1', [process.id])).toBe(0);
  });

  it('refuses steps once the process is completed or failed: 409 THINKING_PROCESS_CLOSED', async () => {
    for (const status of ['completed', 'failed'] as const) {
      const process = await f.process(owner, ws.id, agent.id);
      await f.step(owner, process.id, 'before closing');
      const closed = await setStatus(process.id, { status } satisfies UpdateThinkingProcessRequest);
      expect(closed.status, closed.text).toBe(200);
      expect(closed.body).toMatchObject({ id: process.id, status });
      const stored = await t.db.query<{ status: string }[]>(
        `SELECT status FROM thinking_processes WHERE id = $1`,
        [process.id],
      );
      expect(stored).toEqual([{ status }]);

      const res = await append(process.id, { kind: 'result', content: 'too late' });
      expectError(res, 409, ErrorCode.ThinkingProcessClosed);
      expect(await countRows(t.db, 'thinking_steps', 'process_id = $1', [process.id])).toBe(1);
    }
  });

  it('refuses a bad PATCH of a process naming `status`', async () => {
    const process = await f.process(owner, ws.id, agent.id);
    for (const body of [{ status: 'paused' }, { status: 'running', title: 'x' }]) {
      const res = await setStatus(process.id, body);
      expectError(res, 400, ErrorCode.ValidationFailed);
    }
    const res = await setStatus(process.id, { status: 'done' });
    expect(fieldsOf(res)).toEqual(['status']);
    const stored = await t.db.query<{ status: string; title: string }[]>(
      `SELECT status, title FROM thinking_processes WHERE id = $1`,
      [process.id],
    );
    expect(stored).toEqual([{ status: 'running', title: process.title }]);
  });

  describe('GET /api/workspaces/:id/thinking', () => {
    let own: Workspace;
    let processes: ThinkingProcess[];
    const steps = new Map<string, ThinkingStep[]>();

    const recent = (query: string) =>
      t.api.get<Page<ThinkingProcessWithSteps>>(`/api/workspaces/${own.id}/thinking${query}`, {
        token: owner.token,
      });

    beforeAll(async () => {
      own = await f.workspace(owner);
      const a = await f.agent(owner, own.id);
      const b = await f.agent(owner, own.id);
      processes = [];
      // Three processes with 5, 0 and 3 steps, plus one elsewhere that must not show.
      for (const [agentOf, count] of [
        [a, 5],
        [b, 0],
        [a, 3],
      ] as const) {
        const p = await f.process(owner, own.id, agentOf.id);
        processes.push(p);
        const made: ThinkingStep[] = [];
        for (let i = 0; i < count; i++) made.push(await f.step(owner, p.id, `${p.title} #${i}`));
        steps.set(p.id, made.sort(byCreation));
      }
      await f.step(owner, (await f.process(owner, ws.id, agent.id)).id);
    });

    const newestFirst = () => [...processes].sort(byCreation).reverse();

    it('returns the most recent processes first, each with its latest N steps oldest first', async () => {
      const first = await recent('?processes=2&stepsPerProcess=2');
      expect(first.status, first.text).toBe(200);
      const [p3, p2, p1] = newestFirst();
      expect(first.body.items.map((p) => p.id)).toEqual([p3.id, p2.id]);
      expect(first.body.items[0]).toEqual({
        ...p3,
        updatedAt: expect.any(String),
        steps: steps.get(p3.id)!.slice(-2),
      });
      expect(first.body.items[1].steps).toEqual([]);
      expect(first.body.nextCursor).toEqual(expect.any(String));

      const second = await recent(
        `?processes=2&stepsPerProcess=2&cursor=${encodeURIComponent(first.body.nextCursor!)}`,
      );
      expect(second.status).toBe(200);
      expect(second.body.items.map((p) => p.id)).toEqual([p1.id]);
      expect(second.body.items[0].steps).toEqual(steps.get(p1.id)!.slice(-2));
      expect(second.body.nextCursor).toBeNull();
    });

    it('defaults to every recent process with all of its (up to 20) steps', async () => {
      const res = await recent('');
      expect(res.status).toBe(200);
      expect(res.body.items.map((p) => p.id)).toEqual(newestFirst().map((p) => p.id));
      for (const item of res.body.items) {
        expect(item.workspaceId).toBe(own.id);
        expect(item.steps).toEqual(steps.get(item.id));
      }
      expect(res.body.nextCursor).toBeNull();
    });

    it('answers stepsPerProcess=0 with processes and no steps', async () => {
      const res = await recent('?stepsPerProcess=0&processes=50');
      expect(res.status).toBe(200);
      expect(res.body.items).toHaveLength(3);
      expect(res.body.items.every((p) => p.steps.length === 0)).toBe(true);
    });

    it('refuses out-of-range or malformed parameters with a 400 naming them', async () => {
      for (const [query, field] of [
        ['?processes=0', 'processes'],
        ['?processes=51', 'processes'],
        ['?processes=two', 'processes'],
        ['?stepsPerProcess=101', 'stepsPerProcess'],
        ['?stepsPerProcess=-1', 'stepsPerProcess'],
        ['?stepsPerProcess=1.5', 'stepsPerProcess'],
        ['?verbose=true', 'verbose'],
      ]) {
        const res = await recent(query);
        expectError(res, 400, ErrorCode.ValidationFailed);
        expect(fieldsOf(res), query).toEqual([field]);
      }
      const cursor = await recent('?cursor=not-a-cursor');
      expectError(cursor, 400, ErrorCode.InvalidCursor);
    });
  });

  it('pages a process’s steps oldest first through GET /api/thinking/:id/steps', async () => {
    const process = await f.process(owner, ws.id, agent.id);
    const made: ThinkingStep[] = [];
    for (let i = 0; i < 7; i++) made.push(await f.step(owner, process.id, `step ${i}`));
    const expected = [...made].sort(byCreation).map((s) => s.id);

    const seen: string[] = [];
    const sizes: number[] = [];
    let cursor: string | null = null;
    do {
      const query: string = cursor ? `&cursor=${encodeURIComponent(cursor)}` : '';
      const res: ApiResponse<Page<ThinkingStep>> = await t.api.get<Page<ThinkingStep>>(
        `/api/thinking/${process.id}/steps?limit=3${query}`,
        { token: owner.token },
      );
      expect(res.status, res.text).toBe(200);
      sizes.push(res.body.items.length);
      seen.push(...res.body.items.map((s) => s.id));
      cursor = res.body.nextCursor;
    } while (cursor && sizes.length < 10);
    expect(sizes).toEqual([3, 3, 1]);
    expect(seen).toEqual(expected);

    const all = await t.api.get<Page<ThinkingStep>>(`/api/thinking/${process.id}/steps`, {
      token: owner.token,
    });
    expect(all.body).toEqual({ items: [...made].sort(byCreation), nextCursor: null });
  });

  it('answers 404 with the contract error body to unknown, foreign and non-UUID process ids', async () => {
    const stranger = await f.user();
    const theirWs = await f.workspace(stranger);
    const foreign = await f.process(stranger, theirWs.id, (await f.agent(stranger, theirWs.id)).id);
    for (const id of [randomUUID(), foreign.id, 'not-a-uuid']) {
      for (const res of [
        await t.api.get<ErrorResponse>(`/api/thinking/${id}`, { token: owner.token }),
        await t.api.get<ErrorResponse>(`/api/thinking/${id}/steps`, { token: owner.token }),
        await append(id, { kind: 'observation', content: 'x' }),
        await setStatus(id, { status: 'completed' }),
      ]) {
        expect(res.status, `${id}: ${res.text}`).toBe(404);
        expect(res.body).toEqual({
          statusCode: 404,
          error: 'Not Found',
          message: expect.any(String),
          code: expect.stringMatching(/NOT_FOUND$/),
        });
      }
    }
    expect(await countRows(t.db, 'thinking_steps', 'process_id = $1', [foreign.id])).toBe(0);
    const stored = await t.db.query<{ status: string }[]>(
      `SELECT status FROM thinking_processes WHERE id = $1`,
      [foreign.id],
    );
    expect(stored).toEqual([{ status: 'running' }]);
  });
});
