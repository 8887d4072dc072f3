import {
  type Agent,
  type DeliverableListResponse,
  type CreateDeliverableRequest,
  type Deliverable,
  ErrorCode,
  type ErrorResponse,
  type UpdateDeliverableRequest,
  type Workspace,
} from '@orch/contracts';
import { createHash, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiResponse } from '../support/api-client.js';
import {
  addMember,
  countRows,
  factory,
  type TestUser,
  untilDisplayed,
  withoutDisplay,
} from '../support/factories.js';
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

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

interface DeliverableRow {
  agent_id: string | null;
  title: string;
  content: string;
  content_hash: string;
  updated_at: Date;
}

describe('deliverables', () => {
  let t: TestApp;
  let f: ReturnType<typeof factory>;
  let owner: TestUser;
  let ws: Workspace;
  let agent: Agent;
  let foreignAgent: Agent;
  let stranger: TestUser;

  const row = async (id: string): Promise<DeliverableRow | undefined> =>
    (
      await t.db.query<DeliverableRow[]>(
        `SELECT agent_id, title, content, content_hash, updated_at FROM deliverables WHERE id = $1`,
        [id],
      )
    )[0];

  const create = (body: unknown, workspaceId = ws.id, user = owner) =>
    t.api.post<Deliverable>(`/api/workspaces/${workspaceId}/deliverables`, body, {
      token: user.token,
    });
  const patch = (id: string, body: unknown) =>
    t.api.patch<Deliverable>(`/api/deliverables/${id}`, body, { token: owner.token });

  beforeAll(async () => {
    t = await startTestApp();
    f = factory(t.api);
    owner = await f.user();
    ws = await f.workspace(owner);
    agent = await f.agent(owner, ws.id);
    stranger = await f.user();
    foreignAgent = await f.agent(stranger, (await f.workspace(stranger)).id);
  });
  afterAll(() => t.close());

  it('creates a deliverable whose contentHash is the sha256 hex of its content', async () => {
    const content = '# Ünïcode report ✓\n\n- 🚀 launch\n- 東京\n';
    const body = {
      title: '  Weekly summary ',
      content,
      agentId: agent.id,
    } satisfies CreateDeliverableRequest;
    const res = await create(body);
    expect(res.status, res.text).toBe(201);
    expect(res.body).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      workspaceId: ws.id,
      agentId: agent.id,
      title: 'Weekly summary',
      content,
      contentHash: sha256(content),
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
      // writes never call the transformer: the display queue does, behind the answer
      displayContent: null,
      displayStatus: 'pending',
      fallbackHtml: '<h1>Ünïcode report ✓</h1>\n<ul>\n<li>🚀 launch</li>\n<li>東京</li>\n</ul>',
    });
    expect(res.body.contentHash).toMatch(/^[0-9a-f]{64}$/);
    expect(await row(res.body.id)).toMatchObject({
      agent_id: agent.id,
      title: 'Weekly summary',
      content,
      content_hash: sha256(content),
    });

    expect(await untilDisplayed(t.api, owner, res.body.id)).toEqual({
      ...res.body,
      displayContent: {
        html: expect.stringContaining('<'),
        summary: expect.any(String),
        outline: expect.any(Array),
      },
      displayStatus: 'ready',
      fallbackHtml: null,
    });
  });

  it('creates a deliverable without an agent (agentId left out or null)', async () => {
    for (const body of [
      { title: 'No agent', content: 'text' },
      { title: 'Null agent', content: 'text', agentId: null },
    ] satisfies CreateDeliverableRequest[]) {
      const res = await create(body);
      expect(res.status, res.text).toBe(201);
      expect(res.body.agentId).toBeNull();
      expect((await row(res.body.id))?.agent_id).toBeNull();
    }
  });

  it('lets a member create one too', async () => {
    const member = await addMember(t.api, owner, ws.id);
    const res = await create({ title: 'From a member', content: 'x' }, ws.id, member);
    expect(res.status).toBe(201);
    expect(res.body.workspaceId).toBe(ws.id);
  });

  it('recomputes contentHash when a PATCH changes the content, and only then', async () => {
    const d = await f.deliverable(owner, ws.id, { content: 'first draft' });
    expect(d.contentHash).toBe(sha256('first draft'));

    const edited = await patch(d.id, {
      content: 'second draft',
    } satisfies UpdateDeliverableRequest);
    expect(edited.status, edited.text).toBe(200);
    expect(edited.body).toMatchObject({
      id: d.id,
      title: d.title,
      content: 'second draft',
      contentHash: sha256('second draft'),
      createdAt: d.createdAt,
    });
    expect(await row(d.id)).toMatchObject({
      content: 'second draft',
      content_hash: sha256('second draft'),
    });

    const retitled = await patch(d.id, { title: 'New title' } satisfies UpdateDeliverableRequest);
    expect(retitled.status).toBe(200);
    expect(retitled.body).toMatchObject({
      title: 'New title',
      content: 'second draft',
      contentHash: sha256('second draft'),
    });
    expect(await row(d.id)).toMatchObject({
      title: 'New title',
      content_hash: sha256('second draft'),
    });

    expect(await untilDisplayed(t.api, owner, d.id)).toEqual({
      ...retitled.body,
      displayContent: expect.objectContaining({ html: expect.stringContaining('second draft') }),
      displayStatus: 'ready',
      fallbackHtml: null,
    });
  });

  it('PATCHes agentId: attaches an agent of the workspace and detaches with null', async () => {
    const d = await f.deliverable(owner, ws.id);
    const attached = await patch(d.id, { agentId: agent.id } satisfies UpdateDeliverableRequest);
    expect(attached.status).toBe(200);
    expect(attached.body.agentId).toBe(agent.id);
    expect((await row(d.id))?.agent_id).toBe(agent.id);

    const detached = await patch(d.id, { agentId: null } satisfies UpdateDeliverableRequest);
    expect(detached.status).toBe(200);
    expect(detached.body.agentId).toBeNull();
    expect((await row(d.id))?.agent_id).toBeNull();
  });

  it('refuses an agentId from another workspace (or none) with a 400 naming agentId, writing nothing', async () => {
    const before = await countRows(t.db, 'deliverables');
    for (const agentId of [foreignAgent.id, randomUUID(), 'not-a-uuid']) {
      const res = await create({ title: 'Stolen', content: 'x', agentId });
      expectError(res, 400, ErrorCode.ValidationFailed);
      expect(res.body).toMatchObject({
        details: [{ field: 'agentId', messages: expect.any(Array) }],
      });
      expect(fieldsOf(res)).toEqual(['agentId']);
    }
    expect(await countRows(t.db, 'deliverables')).toBe(before);

    const d = await f.deliverable(owner, ws.id, { agentId: agent.id });
    const stored = await row(d.id);
    const res = await patch(d.id, { agentId: foreignAgent.id, title: 'Moved' });
    expectError(res, 400, ErrorCode.ValidationFailed);
    expect(fieldsOf(res)).toEqual(['agentId']);
    expect(await row(d.id)).toEqual(stored);
  });

  it('refuses a bad body naming every bad field, and writes no row', async () => {
    const before = await countRows(t.db, 'deliverables');
    const res = await create({ title: '', content: 42, contentHash: 'abc', status: 'ready' });
    expectError(res, 400, ErrorCode.ValidationFailed);
    expect(fieldsOf(res)).toEqual(['content', 'contentHash', 'status', 'title']);

    const empty = await create({});
    expectError(empty, 400, ErrorCode.ValidationFailed);
    expect(fieldsOf(empty)).toEqual(['content', 'title']);

    const long = await create({ title: 't'.repeat(201), content: '' });
    expectError(long, 400, ErrorCode.ValidationFailed);
    expect(fieldsOf(long)).toEqual(['content', 'title']);
    expect(await countRows(t.db, 'deliverables')).toBe(before);

    const d = await f.deliverable(owner, ws.id);
    const stored = await row(d.id);
    const bad = await patch(d.id, { content: '', contentHash: '0'.repeat(64) });
    expectError(bad, 400, ErrorCode.ValidationFailed);
    expect(fieldsOf(bad)).toEqual(['content', 'contentHash']);
    expect(await row(d.id)).toEqual(stored);
  });

  it('answers a 400 naming the field, not a 500, to PATCH { title: null } or { content: null }', async () => {
    const d = await f.deliverable(owner, ws.id);
    const stored = await row(d.id);
    const answers = [];
    for (const field of ['title', 'content']) {
      const res = await patch(d.id, { [field]: null });
      answers.push({ field, status: res.status, named: fieldsOf(res) });
    }
    expect(answers).toEqual([
      { field: 'title', status: 400, named: ['title'] },
      { field: 'content', status: 400, named: ['content'] },
    ]);
    expect(await row(d.id)).toEqual(stored);
  });

  it('lists a workspace’s deliverables newest first, and only its own', async () => {
    const own = await f.workspace(owner);
    const made: Deliverable[] = [];
    for (let i = 0; i < 4; i++) made.push(withoutDisplay(await f.deliverable(owner, own.id)));
    await f.deliverable(owner, ws.id);
    for (const d of made) await untilDisplayed(t.api, owner, d.id);
    const res = await t.api.get<DeliverableListResponse>(`/api/workspaces/${own.id}/deliverables`, {
      token: owner.token,
    });
    expect(res.status).toBe(200);
    const expected = [...made]
      .sort((a, b) => a.createdAt.localeCompare(b.createdAt) || (a.id < b.id ? -1 : 1))
      .reverse();
    expect(res.body.items.map(withoutDisplay)).toEqual(expected);
    expect(res.body.items.map((d) => d.displayStatus)).toEqual([
      'ready',
      'ready',
      'ready',
      'ready',
    ]);
    expect(res.body.nextCursor).toBeNull();
    // Made by the display queue after the writes: the read only served what is stored.
    expect(res.body.displayCache).toEqual({
      cached: 4,
      transformed: 0,
      pending: 0,
      aiCallsSaved: 4,
    });
  });

  it('answers 404 with the contract error body to unknown, foreign and non-UUID ids', async () => {
    const foreign = await f.deliverable(stranger, foreignAgent.workspaceId);
    for (const id of [randomUUID(), foreign.id, 'nope', `${randomUUID()}0`]) {
      for (const res of [
        await t.api.get<ErrorResponse>(`/api/deliverables/${id}`, { token: owner.token }),
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
