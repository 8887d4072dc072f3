import {
  type Agent,
  type CreateGoalRequest,
  ErrorCode,
  type ErrorResponse,
  type Goal,
  type Page,
  type UpdateGoalRequest,
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

interface GoalRow {
  title: string;
  description: string | null;
  status: string;
  agent_ids: string[];
  target_deliverables: number | null;
  window_hours: number;
  updated_at: Date;
}

describe('goals', () => {
  let t: TestApp;
  let f: ReturnType<typeof factory>;
  let owner: TestUser;
  let ws: Workspace;
  let scout: Agent;
  let writer: Agent;
  let foreignAgent: Agent;

  const row = async (id: string): Promise<GoalRow | undefined> =>
    (
      await t.db.query<GoalRow[]>(
        `SELECT title, description, status, agent_ids, target_deliverables, window_hours, updated_at
           FROM goals WHERE id = $1`,
        [id],
      )
    )[0];

  const create = (body: unknown, workspaceId = ws.id) =>
    t.api.post<Goal>(`/api/workspaces/${workspaceId}/goals`, body, { token: owner.token });
  const patch = (id: string, body: unknown) =>
    t.api.patch<Goal>(`/api/goals/${id}`, body, { token: owner.token });

  beforeAll(async () => {
    t = await startTestApp();
    f = factory(t.api);
    owner = await f.user();
    ws = await f.workspace(owner);
    scout = await f.agent(owner, ws.id);
    writer = await f.agent(owner, ws.id);
    const stranger = await f.user();
    foreignAgent = await f.agent(stranger, (await f.workspace(stranger)).id);
  });
  afterAll(() => t.close());

  it('creates a goal with defaults for what is left out', async () => {
    const res = await create({ title: '  Ship briefs ' } satisfies CreateGoalRequest);
    expect(res.status, res.text).toBe(201);
    expect(res.body).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      workspaceId: ws.id,
      title: 'Ship briefs',
      description: null,
      status: 'active',
      progress: 0,
      statusReason: null,
      agentIds: [],
      targetDeliverables: null,
      windowHours: 24,
      lastCheckedAt: null,
      nextCheckAt: expect.any(String),
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
    });
    expect(await row(res.body.id)).toMatchObject({
      title: 'Ship briefs',
      status: 'active',
      agent_ids: [],
      window_hours: 24,
    });
    const got = await t.api.get<Goal>(`/api/goals/${res.body.id}`, { token: owner.token });
    expect(got.status).toBe(200);
    expect(got.body).toEqual(res.body);
  });

  it('creates a goal watching agents of the workspace (deduplicated)', async () => {
    const body = {
      title: 'Five a day',
      description: 'Research briefs',
      agentIds: [scout.id, writer.id.toUpperCase(), scout.id],
      targetDeliverables: 5,
      windowHours: 48,
    } satisfies CreateGoalRequest;
    const res = await create(body);
    expect(res.status, res.text).toBe(201);
    expect(res.body).toMatchObject({
      description: 'Research briefs',
      targetDeliverables: 5,
      windowHours: 48,
    });
    expect([...res.body.agentIds].sort()).toEqual([scout.id, writer.id].sort());
    const stored = await row(res.body.id);
    expect([...stored!.agent_ids].sort()).toEqual([scout.id, writer.id].sort());
    expect(stored).toMatchObject({ target_deliverables: 5, window_hours: 48 });
  });

  it('refuses agentIds that are not agents of the workspace with a 400 naming agentIds, and no row', async () => {
    const before = await countRows(t.db, 'goals');
    for (const agentIds of [
      [foreignAgent.id],
      [scout.id, randomUUID()],
      ['not-a-uuid'],
      scout.id,
    ]) {
      const res = await create({ title: 'Watch them', agentIds });
      expectError(res, 400, ErrorCode.ValidationFailed);
      expect(fieldsOf(res), JSON.stringify(agentIds)).toEqual(['agentIds']);
    }
    const tooMany = await create({
      title: 'Everyone',
      agentIds: Array.from({ length: 101 }, () => randomUUID()),
    });
    expectError(tooMany, 400, ErrorCode.ValidationFailed);
    expect(fieldsOf(tooMany)).toEqual(['agentIds']);
    expect(await countRows(t.db, 'goals')).toBe(before);
  });

  it('refuses a bad body naming every bad field, and writes no row', async () => {
    const before = await countRows(t.db, 'goals');
    const res = await create({
      title: '',
      description: 3,
      targetDeliverables: 0,
      windowHours: 8761,
      progress: 50,
    });
    expectError(res, 400, ErrorCode.ValidationFailed);
    expect(fieldsOf(res)).toEqual([
      'description',
      'progress',
      'targetDeliverables',
      'title',
      'windowHours',
    ]);
    for (const [body, field] of [
      [{ title: 'x', windowHours: 0 }, 'windowHours'],
      [{ title: 'x', windowHours: 1.5 }, 'windowHours'],
      [{ title: 'x', windowHours: '24' }, 'windowHours'],
      [{ title: 'x', targetDeliverables: -1 }, 'targetDeliverables'],
      [{ title: 'x', status: 'achieved' }, 'status'],
      [{}, 'title'],
    ] as const) {
      const refused = await create(body);
      expectError(refused, 400, ErrorCode.ValidationFailed);
      expect(fieldsOf(refused), JSON.stringify(body)).toEqual([field]);
    }
    expect(await countRows(t.db, 'goals')).toBe(before);
  });

  it('PATCHes any subset of the fields, including status', async () => {
    const goal = await f.goal(owner, ws.id, {
      description: 'old',
      agentIds: [scout.id],
      targetDeliverables: 3,
    });
    const body = {
      title: 'Renamed',
      description: null,
      agentIds: [writer.id],
      targetDeliverables: null,
      windowHours: 168,
      status: 'paused',
    } satisfies UpdateGoalRequest;
    const res = await patch(goal.id, body);
    expect(res.status, res.text).toBe(200);
    expect(res.body).toMatchObject({ ...body, id: goal.id, createdAt: goal.createdAt });
    expect(await row(goal.id)).toMatchObject({
      title: 'Renamed',
      description: null,
      agent_ids: [writer.id],
      target_deliverables: null,
      window_hours: 168,
      status: 'paused',
    });

    // One field alone leaves the others as they are.
    const resumed = await patch(goal.id, { status: 'active' } satisfies UpdateGoalRequest);
    expect(resumed.status).toBe(200);
    expect(resumed.body).toMatchObject({
      title: 'Renamed',
      agentIds: [writer.id],
      status: 'active',
    });

    const cleared = await patch(goal.id, { agentIds: [] } satisfies UpdateGoalRequest);
    expect(cleared.status).toBe(200);
    expect(cleared.body.agentIds).toEqual([]);
    expect((await row(goal.id))?.agent_ids).toEqual([]);

    const got = await t.api.get<Goal>(`/api/goals/${goal.id}`, { token: owner.token });
    expect(got.body).toEqual(cleared.body);
  });

  it('refuses a bad PATCH (foreign agents, bad values) and changes nothing', async () => {
    const goal = await f.goal(owner, ws.id, { agentIds: [scout.id] });
    const before = await row(goal.id);
    for (const [body, fields] of [
      [{ agentIds: [foreignAgent.id], title: 'Hijacked' }, ['agentIds']],
      [{ status: 'done' }, ['status']],
      // The monitor's verdicts are not a client's to set: only active and paused are.
      [{ status: 'at_risk' }, ['status']],
      [{ status: 'achieved' }, ['status']],
      [{ status: 'missed' }, ['status']],
      [{ windowHours: 0, progress: 100 }, ['progress', 'windowHours']],
      [{ workspaceId: randomUUID() }, ['workspaceId']],
    ] as const) {
      const res = await patch(goal.id, body);
      expectError(res, 400, ErrorCode.ValidationFailed);
      expect(fieldsOf(res), JSON.stringify(body)).toEqual(fields);
    }
    expect(await row(goal.id)).toEqual(before);
  });

  it('answers a 400 naming the field, not a 500, to PATCH with null for a required field', async () => {
    const goal = await f.goal(owner, ws.id);
    const before = await row(goal.id);
    const answers = [];
    for (const field of ['title', 'windowHours', 'status']) {
      const res = await patch(goal.id, { [field]: null });
      answers.push({ field, status: res.status, named: fieldsOf(res) });
    }
    expect(answers).toEqual([
      { field: 'title', status: 400, named: ['title'] },
      { field: 'windowHours', status: 400, named: ['windowHours'] },
      { field: 'status', status: 400, named: ['status'] },
    ]);
    expect(await row(goal.id)).toEqual(before);
  });

  it('lists the workspace’s goals newest first', async () => {
    const own = await f.workspace(owner);
    const made: Goal[] = [];
    for (let i = 0; i < 3; i++) made.push(await f.goal(owner, own.id));
    await f.goal(owner, ws.id);
    const res = await t.api.get<Page<Goal>>(`/api/workspaces/${own.id}/goals`, {
      token: owner.token,
    });
    expect(res.status).toBe(200);
    const expected = [...made]
      .sort((a, b) => a.createdAt.localeCompare(b.createdAt) || (a.id < b.id ? -1 : 1))
      .reverse();
    expect(res.body).toEqual({ items: expected, nextCursor: null });
  });

  it('answers 404 with the contract error body to unknown, foreign and non-UUID ids', async () => {
    const stranger = await f.user();
    const foreign = await f.goal(stranger, (await f.workspace(stranger)).id);
    for (const id of [randomUUID(), foreign.id, 'goal-1']) {
      for (const res of [
        await t.api.get<ErrorResponse>(`/api/goals/${id}`, { token: owner.token }),
        await patch(id, { title: 'x' }),
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
    expect((await row(foreign.id))?.title).toBe(foreign.title);
  });
});
