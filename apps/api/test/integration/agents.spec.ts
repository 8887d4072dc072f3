import {
  type Agent,
  type AgentLite,
  AgentStatus,
  type CreateAgentRequest,
  ErrorCode,
  type ErrorResponse,
  type Page,
  type UpdateAgentRequest,
  type Workspace,
} from '@orch/contracts';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiResponse } from '../support/api-client.js';
import { addMember, countRows, factory, type TestUser } from '../support/factories.js';
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

interface AgentRow {
  name: string;
  role: string;
  model: string;
  status: AgentStatus;
  updated_at: Date;
}

describe('agents', () => {
  let t: TestApp;
  let f: ReturnType<typeof factory>;
  let owner: TestUser;
  let ws: Workspace;

  const row = async (id: string): Promise<AgentRow | undefined> =>
    (
      await t.db.query<AgentRow[]>(
        `SELECT name, role, model, status, updated_at FROM agents WHERE id = $1`,
        [id],
      )
    )[0];

  const storedSettings = async (id: string): Promise<Record<string, string>> => {
    const rows = await t.db.query<{ key: string; value: string }[]>(
      `SELECT key, value FROM agent_settings WHERE agent_id = $1`,
      [id],
    );
    return Object.fromEntries(rows.map((r) => [r.key, r.value]));
  };

  const patch = (id: string, body: unknown, user: TestUser = owner) =>
    t.api.patch<Agent>(`/api/agents/${id}`, body, { token: user.token });

  beforeAll(async () => {
    t = await startTestApp();
    f = factory(t.api);
    owner = await f.user();
    ws = await f.workspace(owner);
  });
  afterAll(() => t.close());

  it('creates an agent with settings, stores them, and reads it back', async () => {
    const body = {
      name: ' Scout ',
      role: 'Finds sources',
      model: 'gpt-4o',
      settings: { temperature: '0.2', 'max.tokens': '800' },
    } satisfies CreateAgentRequest;
    const res = await t.api.post<Agent>(`/api/workspaces/${ws.id}/agents`, body, {
      token: owner.token,
    });
    expect(res.status, res.text).toBe(201);
    expect(res.body).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      workspaceId: ws.id,
      name: 'Scout',
      role: 'Finds sources',
      model: 'gpt-4o',
      status: 'idle',
      settings: { 'max.tokens': '800', temperature: '0.2' },
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
    });
    expect(await row(res.body.id)).toMatchObject({
      name: 'Scout',
      model: 'gpt-4o',
      status: 'idle',
    });
    expect(await storedSettings(res.body.id)).toEqual(body.settings);

    const got = await t.api.get<Agent>(`/api/agents/${res.body.id}`, { token: owner.token });
    expect(got.status).toBe(200);
    expect(got.body).toEqual(res.body);

    const list = await t.api.get<Page<Agent>>(`/api/workspaces/${ws.id}/agents`, {
      token: owner.token,
    });
    expect(list.status).toBe(200);
    expect(list.body.items).toContainEqual(res.body);
  });

  it('defaults the model and the settings when they are left out', async () => {
    const res = await t.api.post<Agent>(
      `/api/workspaces/${ws.id}/agents`,
      { name: 'Plain', role: 'writer' } satisfies CreateAgentRequest,
      { token: owner.token },
    );
    expect(res.status).toBe(201);
    expect(res.body.settings).toEqual({});
    expect(res.body.model.length).toBeGreaterThan(0);
    expect((await row(res.body.id))?.model).toBe(res.body.model);
    expect(await countRows(t.db, 'agent_settings', 'agent_id = $1', [res.body.id])).toBe(0);
  });

  it('lets a member, not only the owner, create and change agents', async () => {
    const member = await addMember(t.api, owner, ws.id);
    const agent = await f.agent(member, ws.id, { name: 'By a member' });
    const res = await patch(agent.id, { status: 'busy' }, member);
    expect(res.status, res.text).toBe(200);
    expect(res.body.status).toBe('busy');
  });

  it('PATCHes settings: sets, replaces and removes keys (null), keeping the rest', async () => {
    const agent = await f.agent(owner, ws.id, {
      name: 'Tuned',
      settings: { temperature: '0.2', tone: 'dry', language: 'en' },
    });
    const body = {
      settings: { temperature: '0.7', tone: null, style: 'terse' },
    } satisfies UpdateAgentRequest;
    const res = await patch(agent.id, body);
    expect(res.status, res.text).toBe(200);
    expect(res.body.settings).toEqual({ language: 'en', style: 'terse', temperature: '0.7' });
    // Only the settings changed: the other fields were not touched.
    expect(res.body).toMatchObject({
      name: 'Tuned',
      role: agent.role,
      model: agent.model,
      status: agent.status,
    });
    expect(await storedSettings(agent.id)).toEqual({
      language: 'en',
      style: 'terse',
      temperature: '0.7',
    });
    expect(await row(agent.id)).toMatchObject({ name: 'Tuned', role: agent.role, status: 'idle' });

    // Removing a key that is not there is not an error.
    const again = await patch(agent.id, { settings: { missing: null, language: null } });
    expect(again.status).toBe(200);
    expect(again.body.settings).toEqual({ style: 'terse', temperature: '0.7' });
    expect(await storedSettings(agent.id)).toEqual({ style: 'terse', temperature: '0.7' });

    const got = await t.api.get<Agent>(`/api/agents/${agent.id}`, { token: owner.token });
    expect(got.body).toEqual(again.body);
  });

  it('PATCHes name, role and model, leaving settings alone', async () => {
    const agent = await f.agent(owner, ws.id, { settings: { a: '1' } });
    const res = await patch(agent.id, {
      name: 'Renamed',
      role: 'editor',
      model: 'gpt-4.1',
    } satisfies UpdateAgentRequest);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      name: 'Renamed',
      role: 'editor',
      model: 'gpt-4.1',
      settings: { a: '1' },
    });
    expect(await row(agent.id)).toMatchObject({
      name: 'Renamed',
      role: 'editor',
      model: 'gpt-4.1',
    });
    expect(res.body.updatedAt >= agent.updatedAt).toBe(true);
  });

  it('answers `view=lite` with exactly id, name, status and updatedAt', async () => {
    const own = await f.workspace(owner);
    const a = await f.agent(owner, own.id, { settings: { secret: 'x' } });
    const b = await f.agent(owner, own.id);
    await patch(b.id, { status: 'busy' });
    const res = await t.api.get<Page<AgentLite>>(`/api/workspaces/${own.id}/agents?view=lite`, {
      token: owner.token,
    });
    expect(res.status).toBe(200);
    expect(res.body.items).toHaveLength(2);
    for (const item of res.body.items) {
      expect(Object.keys(item).sort()).toEqual(['id', 'name', 'status', 'updatedAt']);
    }
    const full = await t.api.get<Page<Agent>>(`/api/workspaces/${own.id}/agents?view=full`, {
      token: owner.token,
    });
    expect(full.status).toBe(200);
    expect(res.body.items).toEqual(
      full.body.items.map(({ id, name, status, updatedAt }) => ({ id, name, status, updatedAt })),
    );
    expect(res.body.items.map((i) => i.id).sort()).toEqual([a.id, b.id].sort());
    expect(res.body.items.find((i) => i.id === b.id)?.status).toBe('busy');

    const bad = await t.api.get(`/api/workspaces/${own.id}/agents?view=tiny`, {
      token: owner.token,
    });
    expectError(bad, 400, ErrorCode.ValidationFailed);
    expect(fieldsOf(bad)).toEqual(['view']);
  });

  it('refuses a bad create body naming every bad field, and writes no row', async () => {
    const agents = await countRows(t.db, 'agents');
    const settings = await countRows(t.db, 'agent_settings');
    const res = await t.api.post(
      `/api/workspaces/${ws.id}/agents`,
      { name: '', role: 5, model: '', settings: { 'bad key!': 'x' }, status: 'busy' },
      { token: owner.token },
    );
    expectError(res, 400, ErrorCode.ValidationFailed);
    expect(fieldsOf(res)).toEqual(['model', 'name', 'role', 'settings', 'status']);

    for (const bad of [
      { temperature: 0.2 },
      { removed: null },
      ['a', 'b'],
      'temperature=0.2',
      Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`k${i}`, 'v'])),
      { long: 'x'.repeat(2001) },
      { ['k'.repeat(65)]: 'v' },
    ]) {
      const refused = await t.api.post(
        `/api/workspaces/${ws.id}/agents`,
        { name: 'A', role: 'B', settings: bad },
        { token: owner.token },
      );
      expectError(refused, 400, ErrorCode.ValidationFailed);
      expect(fieldsOf(refused), JSON.stringify(bad).slice(0, 80)).toEqual(['settings']);
    }
    expect(await countRows(t.db, 'agents')).toBe(agents);
    expect(await countRows(t.db, 'agent_settings')).toBe(settings);
  });

  it('refuses a bad PATCH naming the fields, and changes nothing', async () => {
    const agent = await f.agent(owner, ws.id, { settings: { keep: 'me' } });
    const before = await row(agent.id);
    for (const [body, fields] of [
      [{ status: 'sleeping' }, ['status']],
      [{ name: '', workspaceId: randomUUID() }, ['name', 'workspaceId']],
      [{ settings: { keep: 1 } }, ['settings']],
      [{ settings: { keep: 'changed' }, id: randomUUID() }, ['id']],
    ] as const) {
      const res = await patch(agent.id, body);
      expectError(res, 400, ErrorCode.ValidationFailed);
      expect(fieldsOf(res), JSON.stringify(body)).toEqual(fields);
    }
    expect(await row(agent.id)).toEqual(before);
    expect(await storedSettings(agent.id)).toEqual({ keep: 'me' });
  });

  it('answers a 400 naming `status`, not a 500, to PATCH { status: null }', async () => {
    const agent = await f.agent(owner, ws.id);
    const before = await row(agent.id);
    const res = await patch(agent.id, { status: null });
    expectError(res, 400, ErrorCode.ValidationFailed);
    expect(fieldsOf(res)).toEqual(['status']);
    expect(await row(agent.id)).toEqual(before);
  });

  it('changes status freely between every non-terminated status', async () => {
    const agent = await f.agent(owner, ws.id);
    const path: AgentStatus[] = ['active', 'busy', 'error', 'offline', 'idle', 'busy', 'active'];
    for (const status of path) {
      const res = await patch(agent.id, { status } satisfies UpdateAgentRequest);
      expect(res.status, `-> ${status}: ${res.text}`).toBe(200);
      expect(res.body.status).toBe(status);
      expect((await row(agent.id))?.status).toBe(status);
    }
    const terminated = await patch(agent.id, { status: AgentStatus.Terminated });
    expect(terminated.status).toBe(200);
    expect(terminated.body.status).toBe('terminated');
    expect((await row(agent.id))?.status).toBe('terminated');
  });

  it('refuses any PATCH of a terminated agent with 409 AGENT_TERMINATED and changes nothing', async () => {
    const agent = await f.agent(owner, ws.id, { name: 'Retired', settings: { tone: 'dry' } });
    const done = await patch(agent.id, { status: 'terminated', settings: { reason: 'done' } });
    expect(done.status, done.text).toBe(200);
    const before = await row(agent.id);
    const settingsBefore = await storedSettings(agent.id);
    expect(settingsBefore).toEqual({ reason: 'done', tone: 'dry' });

    const attempts: UpdateAgentRequest[] = [
      { status: 'active' },
      { status: 'idle' },
      { status: 'terminated' },
      { name: 'Back from the dead' },
      { role: 'ghost' },
      { model: 'gpt-5' },
      { settings: { tone: 'warm' } },
      { settings: { tone: null } },
      {},
    ];
    for (const body of attempts) {
      const res = await patch(agent.id, body);
      expectError(res, 409, ErrorCode.AgentTerminated);
    }
    expect(await row(agent.id)).toEqual(before);
    expect(await storedSettings(agent.id)).toEqual(settingsBefore);

    const got = await t.api.get<Agent>(`/api/agents/${agent.id}`, { token: owner.token });
    expect(got.status).toBe(200);
    expect(got.body).toEqual(done.body);
  });

  it('changes nothing after a termination that races with other PATCHes', async () => {
    const agent = await f.agent(owner, ws.id, { name: 'Racer' });
    const renames = Array.from({ length: 12 }, (_, i) =>
      patch(agent.id, { name: `Racer ${i}`, settings: { round: String(i) } }),
    );
    const terminate = patch(agent.id, { status: 'terminated' });
    const [terminated, ...others] = await Promise.all([terminate, ...renames]);
    expect(terminated.status, terminated.text).toBe(200);
    for (const res of others) {
      expect([200, 409], res.text).toContain(res.status);
      if (res.status === 409)
        expect((res.body as unknown as ErrorResponse).code).toBe('AGENT_TERMINATED');
    }
    // Whatever the interleaving, the row is exactly as the termination left it.
    const stored = await row(agent.id);
    expect(stored?.status).toBe('terminated');
    expect(stored?.name).toBe(terminated.body.name);
    expect(stored?.updated_at.toISOString()).toBe(terminated.body.updatedAt);
    const settings = await storedSettings(agent.id);
    expect(settings).toEqual(terminated.body.settings);
  });

  it('answers 404 with the contract error body to unknown, foreign and non-UUID ids', async () => {
    const stranger = await f.user();
    const foreignWs = await f.workspace(stranger);
    const foreign = await f.agent(stranger, foreignWs.id);
    const bodies: unknown[] = [];
    for (const id of [randomUUID(), foreign.id, 'not-a-uuid', '42']) {
      for (const res of [
        await t.api.get<ErrorResponse>(`/api/agents/${id}`, { token: owner.token }),
        await patch(id, { name: 'x' }),
      ]) {
        expect(res.status, `${id}: ${res.text}`).toBe(404);
        expect(res.body).toEqual({
          statusCode: 404,
          error: 'Not Found',
          message: expect.any(String),
          code: expect.stringMatching(/NOT_FOUND$/),
        });
        bodies.push(res.body);
      }
    }
    // A foreign agent is indistinguishable from one that does not exist.
    expect(bodies[2]).toEqual(bodies[0]);
    expect((await row(foreign.id))?.name).toBe(foreign.name);

    for (const path of [`/api/workspaces/${randomUUID()}/agents`, '/api/workspaces/nope/agents']) {
      const list = await t.api.get(path, { token: owner.token });
      expectError(list, 404, ErrorCode.NotFound);
      const create = await t.api.post(path, { name: 'A', role: 'B' }, { token: owner.token });
      expectError(create, 404, ErrorCode.NotFound);
    }
  });
});
