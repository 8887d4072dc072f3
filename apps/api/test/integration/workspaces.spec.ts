import {
  type AddMemberRequest,
  type CreateWorkspaceRequest,
  ErrorCode,
  type ErrorResponse,
  type Page,
  type UpdateWorkspaceRequest,
  type Workspace,
  type WorkspaceForUser,
  type WorkspaceMember,
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

interface WorkspaceRow {
  name: string;
  description: string | null;
  owner_id: string;
  updated_at: Date;
}

describe('workspaces', () => {
  let t: TestApp;
  let f: ReturnType<typeof factory>;
  let owner: TestUser;

  const row = async (id: string): Promise<WorkspaceRow | undefined> =>
    (
      await t.db.query<WorkspaceRow[]>(
        `SELECT name, description, owner_id, updated_at FROM workspaces WHERE id = $1`,
        [id],
      )
    )[0];

  beforeAll(async () => {
    t = await startTestApp();
    f = factory(t.api);
    owner = await f.user();
  });
  afterAll(() => t.close());

  it('creates a workspace with its owner as a member and lists it with the role', async () => {
    const body = {
      name: '  Research team  ',
      description: 'Finds sources',
    } satisfies CreateWorkspaceRequest;
    const res = await t.api.post<Workspace>('/api/workspaces', body, { token: owner.token });
    expect(res.status, res.text).toBe(201);
    expect(res.body).toMatchObject({
      name: 'Research team',
      description: 'Finds sources',
      ownerId: owner.userId,
    });
    expect(res.body.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(new Date(res.body.createdAt).toISOString()).toBe(res.body.createdAt);

    expect(await row(res.body.id)).toMatchObject({
      name: 'Research team',
      description: 'Finds sources',
      owner_id: owner.userId,
    });
    const members = await t.db.query<{ user_id: string; role: string }[]>(
      `SELECT user_id, role FROM workspace_members WHERE workspace_id = $1`,
      [res.body.id],
    );
    expect(members).toEqual([{ user_id: owner.userId, role: 'owner' }]);

    const got = await t.api.get<Workspace>(`/api/workspaces/${res.body.id}`, {
      token: owner.token,
    });
    expect(got.status).toBe(200);
    expect(got.body).toEqual(res.body);

    const list = await t.api.get<Page<WorkspaceForUser>>('/api/workspaces', {
      token: owner.token,
    });
    expect(list.status).toBe(200);
    expect(list.body.items).toContainEqual({ ...res.body, role: 'owner' });

    const stranger = await f.user();
    const theirs = await t.api.get<Page<WorkspaceForUser>>('/api/workspaces', {
      token: stranger.token,
    });
    expect(theirs.status).toBe(200);
    expect(theirs.body).toEqual({ items: [], nextCursor: null });
  });

  it('lists only my workspaces, newest first', async () => {
    const me = await f.user();
    const a = await f.workspace(me);
    const b = await f.workspace(me);
    await f.workspace(owner);
    const list = await t.api.get<Page<WorkspaceForUser>>('/api/workspaces', { token: me.token });
    expect(list.status).toBe(200);
    const expected = [a, b]
      .sort((x, y) => x.createdAt.localeCompare(y.createdAt) || (x.id < y.id ? -1 : 1))
      .reverse()
      .map((w) => w.id);
    expect(list.body.items.map((w) => w.id)).toEqual(expected);
    expect(list.body.nextCursor).toBeNull();
  });

  it('lets the owner PATCH name and description, and GET serves the new values', async () => {
    const ws = await f.workspace(owner);
    const before = await row(ws.id);

    const renamed = await t.api.patch<Workspace>(
      `/api/workspaces/${ws.id}`,
      { name: 'Renamed', description: 'Now with a description' } satisfies UpdateWorkspaceRequest,
      { token: owner.token },
    );
    expect(renamed.status, renamed.text).toBe(200);
    expect(renamed.body).toMatchObject({
      id: ws.id,
      name: 'Renamed',
      description: 'Now with a description',
      ownerId: owner.userId,
      createdAt: ws.createdAt,
    });
    expect(renamed.body.updatedAt >= ws.updatedAt).toBe(true);

    // A subset: only the description changes, and null clears it.
    const cleared = await t.api.patch<Workspace>(
      `/api/workspaces/${ws.id}`,
      { description: null } satisfies UpdateWorkspaceRequest,
      { token: owner.token },
    );
    expect(cleared.status).toBe(200);
    expect(cleared.body).toMatchObject({ name: 'Renamed', description: null });

    const stored = await row(ws.id);
    expect(stored).toMatchObject({ name: 'Renamed', description: null });
    expect(stored!.updated_at.getTime()).toBeGreaterThanOrEqual(before!.updated_at.getTime());

    const got = await t.api.get<Workspace>(`/api/workspaces/${ws.id}`, { token: owner.token });
    expect(got.body).toEqual(cleared.body);
  });

  it('refuses a bad create body naming every bad field, and writes no row', async () => {
    const before = await countRows(t.db, 'workspaces');
    const res = await t.api.post(
      '/api/workspaces',
      { name: '', description: 7, color: 'red' },
      {
        token: owner.token,
      },
    );
    expectError(res, 400, ErrorCode.ValidationFailed);
    expect(fieldsOf(res)).toEqual(['color', 'description', 'name']);

    const missing = await t.api.post('/api/workspaces', {}, { token: owner.token });
    expectError(missing, 400, ErrorCode.ValidationFailed);
    expect(fieldsOf(missing)).toEqual(['name']);

    const tooLong = await t.api.post(
      '/api/workspaces',
      { name: 'x'.repeat(121) },
      {
        token: owner.token,
      },
    );
    expectError(tooLong, 400, ErrorCode.ValidationFailed);
    expect(fieldsOf(tooLong)).toEqual(['name']);

    expect(await countRows(t.db, 'workspaces')).toBe(before);
    expect(await countRows(t.db, 'workspace_members')).toBe(before);
  });

  it('refuses a bad PATCH body naming the fields, and changes nothing', async () => {
    const ws = await f.workspace(owner);
    const before = await row(ws.id);
    const res = await t.api.patch(
      `/api/workspaces/${ws.id}`,
      { name: '', ownerId: randomUUID() },
      { token: owner.token },
    );
    expectError(res, 400, ErrorCode.ValidationFailed);
    expect(fieldsOf(res)).toEqual(['name', 'ownerId']);
    expect(await row(ws.id)).toEqual(before);
  });

  it('answers a 400 naming `name`, not a 500, to PATCH { name: null }', async () => {
    const ws = await f.workspace(owner);
    const before = await row(ws.id);
    const res = await t.api.patch(
      `/api/workspaces/${ws.id}`,
      { name: null },
      {
        token: owner.token,
      },
    );
    expectError(res, 400, ErrorCode.ValidationFailed);
    expect(fieldsOf(res)).toEqual(['name']);
    expect(await row(ws.id)).toEqual(before);
  });

  describe('members', () => {
    it('lets the owner add a user by email (any case); the member can then read it', async () => {
      const ws = await f.workspace(owner);
      const colleague = await f.user({ name: 'Grace' });
      const res = await t.api.post<WorkspaceMember>(
        `/api/workspaces/${ws.id}/members`,
        { email: colleague.email.toUpperCase() } satisfies AddMemberRequest,
        { token: owner.token },
      );
      expect(res.status, res.text).toBe(201);
      expect(res.body).toEqual({
        userId: colleague.userId,
        email: colleague.email.toLowerCase(),
        name: 'Grace',
        role: 'member',
        joinedAt: expect.any(String),
      });
      const stored = await t.db.query<{ role: string }[]>(
        `SELECT role FROM workspace_members WHERE workspace_id = $1 AND user_id = $2`,
        [ws.id, colleague.userId],
      );
      expect(stored).toEqual([{ role: 'member' }]);

      const got = await t.api.get<Workspace>(`/api/workspaces/${ws.id}`, {
        token: colleague.token,
      });
      expect(got.status).toBe(200);
      expect(got.body.id).toBe(ws.id);
      const list = await t.api.get<Page<WorkspaceForUser>>('/api/workspaces', {
        token: colleague.token,
      });
      expect(list.body.items.map((w) => [w.id, w.role])).toEqual([[ws.id, 'member']]);
    });

    it('answers 404 USER_NOT_FOUND for an unknown email and adds nobody', async () => {
      const ws = await f.workspace(owner);
      const res = await t.api.post(
        `/api/workspaces/${ws.id}/members`,
        { email: 'nobody-here@example.com' } satisfies AddMemberRequest,
        { token: owner.token },
      );
      const body = expectError(res, 404, ErrorCode.UserNotFound);
      expect(body).toEqual({
        statusCode: 404,
        error: 'Not Found',
        message: expect.any(String),
        code: 'USER_NOT_FOUND',
      });
      expect(await countRows(t.db, 'workspace_members', 'workspace_id = $1', [ws.id])).toBe(1);
    });

    it('answers 409 ALREADY_MEMBER for a member, and for the owner', async () => {
      const ws = await f.workspace(owner);
      const member = await addMember(t.api, owner, ws.id);
      for (const email of [member.email, owner.email]) {
        const res = await t.api.post(
          `/api/workspaces/${ws.id}/members`,
          { email },
          {
            token: owner.token,
          },
        );
        expectError(res, 409, ErrorCode.AlreadyMember);
      }
      const roles = await t.db.query<{ user_id: string; role: string }[]>(
        `SELECT user_id, role FROM workspace_members WHERE workspace_id = $1 ORDER BY role`,
        [ws.id],
      );
      expect(roles).toEqual(
        expect.arrayContaining([
          { user_id: owner.userId, role: 'owner' },
          { user_id: member.userId, role: 'member' },
        ]),
      );
      expect(roles).toHaveLength(2);
    });

    it('refuses an invalid email with a 400 naming `email`', async () => {
      const ws = await f.workspace(owner);
      const res = await t.api.post(
        `/api/workspaces/${ws.id}/members`,
        { email: 'not-an-email' },
        {
          token: owner.token,
        },
      );
      expectError(res, 400, ErrorCode.ValidationFailed);
      expect(fieldsOf(res)).toEqual(['email']);
    });

    it('answers 403 OWNER_REQUIRED when a member adds, patches or deletes, changing nothing', async () => {
      const ws = await f.workspace(owner);
      const member = await addMember(t.api, owner, ws.id);
      const other = await f.user();
      const before = await row(ws.id);

      const add = await t.api.post(
        `/api/workspaces/${ws.id}/members`,
        { email: other.email },
        { token: member.token },
      );
      expectError(add, 403, ErrorCode.OwnerRequired);
      const patch = await t.api.patch(
        `/api/workspaces/${ws.id}`,
        { name: 'Mine now' },
        {
          token: member.token,
        },
      );
      expectError(patch, 403, ErrorCode.OwnerRequired);
      const del = await t.api.delete(`/api/workspaces/${ws.id}`, { token: member.token });
      expectError(del, 403, ErrorCode.OwnerRequired);

      expect(await row(ws.id)).toEqual(before);
      expect(await countRows(t.db, 'workspace_members', 'workspace_id = $1', [ws.id])).toBe(2);
    });

    it('answers 404 to a non-member, as for an unknown workspace', async () => {
      const ws = await f.workspace(owner);
      const stranger = await f.user();
      const add = await t.api.post(
        `/api/workspaces/${ws.id}/members`,
        { email: stranger.email },
        { token: stranger.token },
      );
      expectError(add, 404, ErrorCode.NotFound);
      const unknown = await t.api.post(
        `/api/workspaces/${randomUUID()}/members`,
        { email: stranger.email },
        { token: stranger.token },
      );
      expectError(unknown, 404, ErrorCode.NotFound);
      expect(add.body).toEqual(unknown.body);
      expect(await countRows(t.db, 'workspace_members', 'workspace_id = $1', [ws.id])).toBe(1);
    });
  });

  it('lets the owner DELETE a workspace with everything in it', async () => {
    const ws = await f.workspace(owner);
    const member = await addMember(t.api, owner, ws.id);
    const agent = await f.agent(owner, ws.id, { settings: { tone: 'dry' } });
    await f.deliverable(owner, ws.id, { agentId: agent.id });
    const process = await f.process(owner, ws.id, agent.id);
    await f.step(owner, process.id);
    await f.goal(owner, ws.id, { agentIds: [agent.id] });
    const untouched = await f.workspace(owner);

    const res = await t.api.delete(`/api/workspaces/${ws.id}`, { token: owner.token });
    expect(res.status, res.text).toBe(204);
    expect(res.text).toBe('');

    expect(await row(ws.id)).toBeUndefined();
    for (const table of ['workspace_members', 'agents', 'deliverables', 'thinking_processes']) {
      expect(await countRows(t.db, table, 'workspace_id = $1', [ws.id]), table).toBe(0);
    }
    expect(await countRows(t.db, 'goals', 'workspace_id = $1', [ws.id])).toBe(0);
    expect(await countRows(t.db, 'agent_settings', 'agent_id = $1', [agent.id])).toBe(0);
    expect(await countRows(t.db, 'thinking_steps', 'process_id = $1', [process.id])).toBe(0);
    expect(await row(untouched.id)).toBeDefined();

    for (const user of [owner, member]) {
      const got = await t.api.get(`/api/workspaces/${ws.id}`, { token: user.token });
      expectError(got, 404, ErrorCode.NotFound);
    }
    const again = await t.api.delete(`/api/workspaces/${ws.id}`, { token: owner.token });
    expectError(again, 404, ErrorCode.NotFound);
    const list = await t.api.get<Page<WorkspaceForUser>>('/api/workspaces', {
      token: member.token,
    });
    expect(list.body.items).toEqual([]);
  });

  it('answers 404 with the contract error body to unknown and non-UUID ids', async () => {
    const paths = [
      `/api/workspaces/${randomUUID()}`,
      '/api/workspaces/not-a-uuid',
      '/api/workspaces/123',
      `/api/workspaces/${randomUUID()}x`,
    ];
    for (const path of paths) {
      for (const [method, body] of [
        ['GET', undefined],
        ['PATCH', { name: 'x' }],
        ['DELETE', undefined],
      ] as const) {
        const res = await t.api.request<ErrorResponse>(method, path, { token: owner.token, body });
        expect(res.status, `${method} ${path}`).toBe(404);
        expect(res.body).toEqual({
          statusCode: 404,
          error: 'Not Found',
          message: expect.any(String),
          code: expect.stringMatching(/NOT_FOUND$/),
        });
      }
    }
  });

  it('accepts an id in upper case as the same workspace', async () => {
    const ws = await f.workspace(owner);
    const res = await t.api.get<Workspace>(`/api/workspaces/${ws.id.toUpperCase()}`, {
      token: owner.token,
    });
    expect(res.status).toBe(200);
    expect(res.body.id).toBe(ws.id);
  });
});
