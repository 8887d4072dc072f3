import { JwtService } from '@nestjs/jwt';
import type {
  Agent,
  AppendStepsResponse,
  DisplayedDeliverable,
  Goal,
  PerformanceMetrics,
  RealtimeStats,
  ThinkingProcess,
  ThinkingStep,
  Workspace,
} from '@orch/contracts';
import { randomUUID } from 'node:crypto';
import type { Socket as TcpSocket } from 'node:net';
import type { Server } from 'socket.io';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { RealtimeGateway } from '../../src/modules/realtime/realtime.gateway.js';
import { roomOf } from '../../src/modules/realtime/realtime-socket.js';
import { addMember, factory, type TestUser } from '../support/factories.js';
import {
  closeAll,
  connectClient,
  ConnectRefused,
  type ClientOptions,
  RealtimeClient,
  refusedHandshake,
  stallHandshake,
} from '../support/socket-client.js';
import { startTestApp, TEST_JWT_SECRET, type TestApp } from '../support/test-app.js';
import { operatorToken } from '../support/operator.js';

/**
 * The realtime gateway through a real socket.io-client over the websocket transport, against
 * the real app (in-process, its own database). Small timings so every timer-driven behaviour
 * (heartbeat misses, handshake deadline, message budget) shows within a second; the
 * connection limits keep their default shape (3 per workspace, 50 in all).
 */
const HEARTBEAT_MS = 100;
const HEARTBEAT_MISSES = 2;
const HANDSHAKE_TIMEOUT_MS = 500;
const MESSAGES_PER_MIN = 20;
const PER_WORKSPACE = 3;
const TOTAL = 50;

const REALTIME_ENV = {
  WS_MAX_PER_WORKSPACE: String(PER_WORKSPACE),
  WS_MAX_TOTAL: String(TOTAL),
  WS_HEARTBEAT_MS: String(HEARTBEAT_MS),
  WS_HEARTBEAT_MISSES: String(HEARTBEAT_MISSES),
  WS_HANDSHAKE_TIMEOUT_MS: String(HANDSHAKE_TIMEOUT_MS),
  WS_MESSAGES_PER_MIN: String(MESSAGES_PER_MIN),
  // One AI call crosses both quota thresholds (80% and 100%): quota.notification on demand.
  AI_DAILY_QUOTA: '1',
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The socket.io server the gateway owns (a private field: read it, never touch it). */
function ioOf(t: TestApp): Server {
  return (t.app.get(RealtimeGateway) as unknown as { server: Server }).server;
}

describe('realtime gateway', () => {
  let t: TestApp;
  let f: ReturnType<typeof factory>;
  let gateway: RealtimeGateway;
  let owner: TestUser;
  let member: TestUser;
  let stranger: TestUser;
  let ws: Workspace;
  let other: Workspace;
  let strangers: Workspace;
  const clients: RealtimeClient[] = [];

  const auth = (workspaceId: string, user: TestUser = owner) => ({
    token: user.token,
    workspaceId,
  });
  /** A connected client, closed after the test. */
  const connect = async (
    workspaceId: string,
    user: TestUser = owner,
    options?: ClientOptions,
  ): Promise<RealtimeClient> => {
    const client = new RealtimeClient(t.baseUrl, auth(workspaceId, user), options);
    clients.push(client);
    return client.open();
  };
  const stats = async (): Promise<RealtimeStats> => {
    const res = await t.api.get<PerformanceMetrics>('/api/performance/metrics', {
      token: await operatorToken(t.api),
    });
    expect(res.status, res.text).toBe(200);
    return res.body.realtime;
  };

  beforeAll(async () => {
    t = await startTestApp({ env: REALTIME_ENV });
    f = factory(t.api);
    gateway = t.app.get(RealtimeGateway);
    [owner, stranger] = [await f.user(), await f.user()];
    ws = await f.workspace(owner);
    other = await f.workspace(owner);
    strangers = await f.workspace(stranger);
    member = await addMember(t.api, owner, ws.id);
  });
  afterAll(() => t?.close());
  afterEach(async () => {
    await closeAll(clients);
    // Every test starts with no socket and no slot taken.
    await vi.waitFor(
      async () => {
        expect(gateway.registry.size).toBe(0);
        expect(await gateway.limiter.counts()).toEqual({ total: 0, perWorkspace: {} });
      },
      { timeout: 3_000, interval: 20 },
    );
  });

  describe('handshake', () => {
    it('accepts a member with a valid token and puts the socket in its workspace room only', async () => {
      const a = await connect(ws.id, member);
      const b = await connect(other.id);
      const io = ioOf(t);
      expect(io.of('/').sockets.get(a.socket.id!)?.rooms).toEqual(
        new Set([a.socket.id, roomOf(ws.id)]),
      );
      expect(io.of('/').sockets.get(b.socket.id!)?.rooms).toEqual(
        new Set([b.socket.id, roomOf(other.id)]),
      );
      const s = await stats();
      expect(s).toMatchObject({
        local: 2,
        total: 2,
        perWorkspace: { [ws.id]: 1, [other.id]: 1 },
        limits: { perWorkspace: PER_WORKSPACE, total: TOTAL },
      });
      expect(s.instanceId).toBe(gateway.instanceId);
    });

    it('normalises an upper-case workspace id to the same room', async () => {
      const a = await connect(ws.id.toUpperCase());
      expect(ioOf(t).of('/').sockets.get(a.socket.id!)?.rooms.has(roomOf(ws.id))).toBe(true);
      expect((await stats()).perWorkspace).toEqual({ [ws.id]: 1 });
    });

    it.each([
      ['garbage', () => 'not-a-jwt'],
      ['a tampered signature', () => `${owner.token.slice(0, -4)}AAAA`],
      [
        'another secret',
        () =>
          new JwtService({ secret: 'another-secret-that-is-at-least-32-characters' }).sign({
            sub: owner.userId,
          }),
      ],
      [
        'an expired token',
        () =>
          new JwtService({ secret: TEST_JWT_SECRET }).sign(
            { sub: owner.userId },
            { expiresIn: -60 },
          ),
      ],
      ['no subject', () => new JwtService({ secret: TEST_JWT_SECRET }).sign({ foo: 'bar' })],
    ])('refuses %s with connect_error UNAUTHENTICATED and takes no slot', async (_, token) => {
      const data = await refusedHandshake(t.baseUrl, { token: token(), workspaceId: ws.id });
      expect(data).toEqual({
        code: 'UNAUTHENTICATED',
        message: 'The token is invalid or has expired',
      });
      expect((await stats()).total).toBe(0);
    });

    it('refuses a workspace the user is not a member of with WORKSPACE_NOT_FOUND', async () => {
      // Another user's workspace, one that does not exist, and a valid token of a user with no row.
      const ghost = new JwtService({ secret: TEST_JWT_SECRET }).sign({ sub: randomUUID() });
      for (const attempt of [
        auth(strangers.id),
        auth(randomUUID()),
        { token: ghost, workspaceId: ws.id },
      ]) {
        expect(await refusedHandshake(t.baseUrl, attempt), JSON.stringify(attempt)).toEqual({
          code: 'WORKSPACE_NOT_FOUND',
          message: 'workspace not found',
        });
      }
      // ...while the stranger reaches their own.
      await connect(strangers.id, stranger);
      expect((await stats()).perWorkspace).toEqual({ [strangers.id]: 1 });
    });

    it.each([
      ['no auth at all', () => ({})],
      ['no workspaceId', () => ({ token: owner.token })],
      ['no token', () => ({ workspaceId: ws.id })],
      ['a workspaceId that is not a UUID', () => ({ token: owner.token, workspaceId: 'ws-1' })],
      ['a number as token', () => ({ token: 42, workspaceId: ws.id })],
      ['an array as workspaceId', () => ({ token: owner.token, workspaceId: [ws.id] })],
    ])('refuses %s with BAD_HANDSHAKE', async (_, body) => {
      const data = await refusedHandshake(t.baseUrl, body());
      expect(data?.code).toBe('BAD_HANDSHAKE');
      expect(data?.message).toMatch(/token.*workspaceId/);
      expect((await stats()).total).toBe(0);
    });

    it('serves the websocket transport only (no long-polling session)', async () => {
      const res = await fetch(`${t.baseUrl}/socket.io/?EIO=4&transport=polling`);
      expect(res.status).toBe(400);
      expect(await res.json()).toMatchObject({ message: 'Transport unknown' });
    });

    it(`drops a connection that never sends the socket.io CONNECT after ${HANDSHAKE_TIMEOUT_MS} ms`, async () => {
      const io = ioOf(t);
      const engineClients = io.engine.clientsCount;
      const stalled = await stallHandshake(t.baseUrl);
      try {
        expect(stalled.statusLine).toMatch(/^HTTP\/1\.1 101 /);
        expect(stalled.openPacket).toMatch(/^0\{.*"sid":/);
        expect(io.engine.clientsCount).toBe(engineClients + 1);
        const closedAfter = await Promise.race([stalled.closed, sleep(5_000).then(() => -1)]);
        expect(closedAfter, 'the server never closed the stalled connection').toBeGreaterThan(0);
        // The deadline, not something sooner: the connection lived about WS_HANDSHAKE_TIMEOUT_MS.
        expect(closedAfter).toBeGreaterThanOrEqual(HANDSHAKE_TIMEOUT_MS - 50);
        expect(closedAfter).toBeLessThan(HANDSHAKE_TIMEOUT_MS + 1_500);
        await vi.waitFor(() => expect(io.engine.clientsCount).toBe(engineClients));
        expect(gateway.registry.size).toBe(0);
        expect((await stats()).total).toBe(0);
      } finally {
        stalled.destroy();
      }
    });
  });

  describe('connection limits', () => {
    it(`rejects connection ${PER_WORKSPACE + 1} to one workspace with workspace_limit; a disconnect frees the slot`, async () => {
      const before = await stats();
      const first = [await connect(ws.id), await connect(ws.id, member), await connect(ws.id)];
      const fourth = await connect(ws.id, member);
      expect(await fourth.waitFor('connection_rejected')).toEqual({
        reason: 'workspace_limit',
        limit: PER_WORKSPACE,
        retryAfterMs: HEARTBEAT_MS,
      });
      expect(await fourth.waitForDisconnect()).toBe('io server disconnect');
      // Another workspace is not affected.
      await connect(other.id);

      let s = await stats();
      expect(s.perWorkspace).toEqual({ [ws.id]: PER_WORKSPACE, [other.id]: 1 });
      expect(s.total).toBe(PER_WORKSPACE + 1);
      expect(s.local).toBe(PER_WORKSPACE + 1);
      expect(s.rejected.workspace_limit).toBe(before.rejected.workspace_limit + 1);
      expect(s.rejected.global_limit).toBe(before.rejected.global_limit);
      expect(
        first.every((c) => c.connected && c.received('connection_rejected').length === 0),
      ).toBe(true);

      // One leaves: its slot is given back, and the next one is accepted and stays.
      await first[0].close();
      await vi.waitFor(async () => expect((await stats()).perWorkspace[ws.id]).toBe(2));
      const again = await connect(ws.id);
      await sleep(HEARTBEAT_MS * 3);
      expect(again.connected).toBe(true);
      expect(again.received('connection_rejected')).toEqual([]);
      s = await stats();
      expect(s.perWorkspace[ws.id]).toBe(PER_WORKSPACE);
      expect(s.rejected.workspace_limit).toBe(before.rejected.workspace_limit + 1);
    });

    it(`rejects connection ${TOTAL + 1} overall with global_limit, in any workspace`, async () => {
      const before = await stats();
      // 17 workspaces of 3 would be 51: 16 full ones and 2 in the 17th make 50.
      const workspaces = [ws, other];
      while (workspaces.length < Math.ceil((TOTAL + 1) / PER_WORKSPACE) + 1) {
        workspaces.push(await f.workspace(owner));
      }
      const plan: string[] = [];
      for (const w of workspaces) {
        for (let i = 0; i < PER_WORKSPACE && plan.length < TOTAL; i++) plan.push(w.id);
      }
      expect(plan).toHaveLength(TOTAL);
      await Promise.all(plan.map((id) => connect(id)));
      const full = await stats();
      expect(full.total).toBe(TOTAL);
      expect(full.local).toBe(TOTAL);

      // Room left in its workspace (2 of 3), and an empty workspace: both refused, globally.
      const partial = plan[plan.length - 1];
      const empty = workspaces[workspaces.length - 1].id;
      expect(full.perWorkspace[partial]).toBe(2);
      expect(full.perWorkspace[empty]).toBeUndefined();
      for (const id of [partial, empty]) {
        const extra = await connect(id);
        expect(await extra.waitFor('connection_rejected')).toEqual({
          reason: 'global_limit',
          limit: TOTAL,
          retryAfterMs: HEARTBEAT_MS,
        });
        expect(await extra.waitForDisconnect()).toBe('io server disconnect');
      }
      let s = await stats();
      expect(s.total).toBe(TOTAL);
      expect(s.rejected.global_limit).toBe(before.rejected.global_limit + 2);
      expect(s.rejected.workspace_limit).toBe(before.rejected.workspace_limit);

      // One leaves anywhere: one more fits, anywhere.
      const leaving = clients.find((c) => c.connected)!;
      await leaving.close();
      await vi.waitFor(async () => expect((await stats()).total).toBe(TOTAL - 1));
      const next = await connect(empty);
      await sleep(HEARTBEAT_MS * 2);
      expect(next.connected).toBe(true);
      s = await stats();
      expect(s.total).toBe(TOTAL);
      expect(s.perWorkspace[empty]).toBe(1);
    });
  });

  describe('domain events', () => {
    let agent: Agent;
    let process: ThinkingProcess;

    beforeAll(async () => {
      agent = await f.agent(owner, ws.id);
      process = await f.process(owner, ws.id, agent.id);
    });

    /**
     * Runs the write while listening for its event; reads the database the moment the event
     * arrives (before the HTTP answer is awaited): the event must describe a committed write.
     */
    async function writeAndCatch<R, P, S>(
      event: Promise<P>,
      write: () => Promise<R>,
      readStored: () => Promise<S>,
    ): Promise<{ response: R; payload: P; stored: S }> {
      const caught = event.then(async (payload) => ({ payload, stored: await readStored() }));
      const response = await write();
      const { payload, stored } = await caught;
      return { response, payload, stored };
    }
    const one = async <T>(sql: string, id: string): Promise<T> =>
      (await t.db.query<T[]>(sql, [id]))[0];

    it('workspace.updated after PATCH /api/workspaces/:id', async () => {
      const client = await connect(ws.id, member);
      const name = `Renamed ${randomUUID().slice(0, 8)}`;
      const { response, payload, stored } = await writeAndCatch(
        client.waitFor('workspace.updated', { where: (p) => p.workspace.name === name }),
        () => t.api.patch<Workspace>(`/api/workspaces/${ws.id}`, { name }, { token: owner.token }),
        () => one<{ name: string }>('SELECT name FROM workspaces WHERE id = $1', ws.id),
      );
      expect(response.status, response.text).toBe(200);
      expect(stored.name).toBe(name);
      expect(payload).toEqual({ workspace: response.body });
    });

    it('agent.updated after POST /api/workspaces/:id/agents and PATCH /api/agents/:id', async () => {
      const client = await connect(ws.id);
      const created = await writeAndCatch(
        client.waitFor('agent.updated', { where: (p) => p.agent.name === 'Scout' }),
        () =>
          t.api.post<Agent>(
            `/api/workspaces/${ws.id}/agents`,
            { name: 'Scout', role: 'researcher', settings: { tone: 'dry' } },
            { token: owner.token },
          ),
        async () =>
          (await t.db.query<unknown[]>(`SELECT 1 FROM agents WHERE name = 'Scout'`)).length,
      );
      expect(created.response.status, created.response.text).toBe(201);
      expect(created.stored).toBe(1);
      expect(created.payload).toEqual({ agent: created.response.body });

      const id = created.response.body.id;
      const updated = await writeAndCatch(
        client.waitFor('agent.updated', {
          where: (p) => p.agent.id === id && p.agent.status === 'busy',
        }),
        () =>
          t.api.patch<Agent>(
            `/api/agents/${id}`,
            { status: 'busy', settings: { tone: null, depth: '3' } },
            { token: owner.token },
          ),
        () => one<{ status: string }>('SELECT status FROM agents WHERE id = $1', id),
      );
      expect(updated.response.status, updated.response.text).toBe(200);
      expect(updated.stored.status).toBe('busy');
      expect(updated.payload).toEqual({ agent: updated.response.body });
      expect(updated.payload.agent.settings).toEqual({ depth: '3' });
    });

    it('deliverable.created after POST and deliverable.updated after PATCH', async () => {
      const client = await connect(ws.id);
      const created = await writeAndCatch(
        client.waitFor('deliverable.created', {
          where: (p) => p.deliverable.title === 'Q3 report',
        }),
        () =>
          t.api.post<DisplayedDeliverable>(
            `/api/workspaces/${ws.id}/deliverables`,
            { title: 'Q3 report', content: '# Q3\n\nUp.', agentId: agent.id },
            { token: owner.token },
          ),
        async () =>
          (await t.db.query<unknown[]>(`SELECT 1 FROM deliverables WHERE title = 'Q3 report'`))
            .length,
      );
      expect(created.response.status, created.response.text).toBe(201);
      expect(created.stored).toBe(1);
      // The display as the answer gave it (pending, with its fallback): the display queue
      // pushes the transformed content later, as another deliverable.updated.
      expect(created.payload).toEqual({ deliverable: created.response.body });

      const id = created.response.body.id;
      const updated = await writeAndCatch(
        client.waitFor('deliverable.updated', {
          where: (p) => p.deliverable.id === id && p.deliverable.title === 'Q3 report (final)',
        }),
        () =>
          t.api.patch<DisplayedDeliverable>(
            `/api/deliverables/${id}`,
            { title: 'Q3 report (final)' },
            { token: owner.token },
          ),
        () => one<{ title: string }>('SELECT title FROM deliverables WHERE id = $1', id),
      );
      expect(updated.response.status, updated.response.text).toBe(200);
      expect(updated.stored.title).toBe('Q3 report (final)');
      expect(updated.payload).toEqual({ deliverable: updated.response.body });
      expect((updated.payload.deliverable satisfies DisplayedDeliverable).title).toBe(
        'Q3 report (final)',
      );
    });

    it('thinking.step after POST /api/thinking/:id/steps', async () => {
      const client = await connect(ws.id);
      const { response, payload, stored } = await writeAndCatch(
        client.waitFor('thinking.step', { where: (p) => p.step.content === 'one step' }),
        () =>
          t.api.post<ThinkingStep>(
            `/api/thinking/${process.id}/steps`,
            { kind: 'observation', content: 'one step' },
            { token: owner.token },
          ),
        async () =>
          (
            await t.db.query<unknown[]>(
              `SELECT 1 FROM thinking_steps WHERE process_id = $1 AND content = 'one step'`,
              [process.id],
            )
          ).length,
      );
      expect(response.status, response.text).toBe(201);
      expect(stored).toBe(1);
      expect(payload).toEqual({ workspaceId: ws.id, processId: process.id, step: response.body });
    });

    it('one thinking.step per step, in order, after POST /api/thinking/:id/steps/bulk', async () => {
      const client = await connect(ws.id);
      const since = client.mark();
      const steps = Array.from({ length: 5 }, (_, i) => ({
        kind: 'observation',
        content: `bulk ${i}`,
      }));
      const res = await t.api.post<AppendStepsResponse>(
        `/api/thinking/${process.id}/steps/bulk`,
        { steps },
        { token: owner.token },
      );
      expect(res.status, res.text).toBe(201);
      await client.waitFor('thinking.step', { since, where: (p) => p.step.content === 'bulk 4' });
      const received = client.events
        .slice(since)
        .filter((e) => e.name === 'thinking.step')
        .map((e) => e.payload);
      expect(received).toEqual(
        res.body.items.map((step) => ({ workspaceId: ws.id, processId: process.id, step })),
      );
    });

    it('goal.updated after POST /api/workspaces/:id/goals and PATCH /api/goals/:id', async () => {
      const client = await connect(ws.id);
      const created = await writeAndCatch(
        client.waitFor('goal.updated', { where: (p) => p.goal.title === 'Ship it' }),
        () =>
          t.api.post<Goal>(
            `/api/workspaces/${ws.id}/goals`,
            { title: 'Ship it', agentIds: [agent.id], targetDeliverables: 3 },
            { token: owner.token },
          ),
        async () =>
          (await t.db.query<unknown[]>(`SELECT 1 FROM goals WHERE title = 'Ship it'`)).length,
      );
      expect(created.response.status, created.response.text).toBe(201);
      expect(created.stored).toBe(1);
      expect(created.payload).toEqual({ goal: created.response.body });

      const id = created.response.body.id;
      const updated = await writeAndCatch(
        client.waitFor('goal.updated', {
          where: (p) => p.goal.id === id && p.goal.status === 'paused',
        }),
        () => t.api.patch<Goal>(`/api/goals/${id}`, { status: 'paused' }, { token: owner.token }),
        () => one<{ status: string }>('SELECT status FROM goals WHERE id = $1', id),
      );
      expect(updated.response.status, updated.response.text).toBe(200);
      expect(updated.stored.status).toBe('paused');
      expect(updated.payload).toEqual({ goal: updated.response.body });
    });

    it('quota.notification when an AI call crosses the 80% and 100% thresholds', async () => {
      // A workspace of its own: AI_DAILY_QUOTA=1, so its first AI call crosses both.
      const quotaWs = await f.workspace(owner);
      const client = await connect(quotaWs.id);
      const d = await f.deliverable(owner, quotaWs.id);
      // The first read transforms the content: one AI call.
      const read = await t.api.get(`/api/deliverables/${d.id}`, { token: owner.token });
      expect(read.status, read.text).toBe(200);
      const at100 = await client.waitFor('quota.notification', {
        where: (p) => p.notification.threshold === 100,
      });
      const thresholds = client.received('quota.notification').map((p) => p.notification.threshold);
      expect(thresholds).toEqual([80, 100]);
      expect(at100.notification).toMatchObject({ workspaceId: quotaWs.id, used: 1, limit: 1 });
      const list = await t.api.get<{ items: unknown[] }>(
        `/api/quota/notifications?workspaceId=${quotaWs.id}`,
        { token: owner.token },
      );
      expect(list.status, list.text).toBe(200);
      expect(list.body.items).toContainEqual(at100.notification);
    });

    it("reaches only its workspace's room", async () => {
      const inWs = await connect(ws.id, member);
      const inOther = await connect(other.id);
      const outsider = await connect(strangers.id, stranger);
      const otherAgent = await f.agent(owner, other.id);
      const strangersAgent = await f.agent(stranger, strangers.id);
      const marks = [inWs.mark(), inOther.mark(), outsider.mark()];

      const patched = await t.api.patch<Agent>(
        `/api/agents/${agent.id}`,
        { name: 'Only in ws' },
        { token: owner.token },
      );
      expect(patched.status, patched.text).toBe(200);
      expect(await inWs.waitFor('agent.updated', { since: marks[0] })).toEqual({
        agent: patched.body,
      });

      // Fences: a later event in each other room. Had the first reached them, it would have
      // arrived first (one connection, one server, in order).
      const fence = async (client: RealtimeClient, a: Agent, user: TestUser, since: number) => {
        const res = await t.api.patch(
          `/api/agents/${a.id}`,
          { name: 'Fence' },
          { token: user.token },
        );
        expect(res.status, res.text).toBe(200);
        await client.waitFor('agent.updated', { since, where: (p) => p.agent.id === a.id });
      };
      await fence(inOther, otherAgent, owner, marks[1]);
      await fence(outsider, strangersAgent, stranger, marks[2]);
      const ids = (c: RealtimeClient, since: number) =>
        c.events
          .slice(since)
          .flatMap((e) => (e.name === 'agent.updated' ? [e.payload.agent.id] : []));
      expect(ids(inWs, marks[0])).toEqual([agent.id]);
      expect(ids(inOther, marks[1])).toEqual([otherAgent.id]);
      expect(ids(outsider, marks[2])).toEqual([strangersAgent.id]);
    });
  });

  describe('heartbeat', () => {
    it(`disconnects a client that misses ${HEARTBEAT_MISSES} heartbeats and frees its slot; one that answers stays`, async () => {
      const before = await stats();
      const answering = await connect(ws.id);
      const openedAt = performance.now();
      const silent = await connect(ws.id, member, { answerHeartbeats: false });
      expect((await stats()).perWorkspace[ws.id]).toBe(2);

      expect(await silent.waitForDisconnect(HEARTBEAT_MS * (HEARTBEAT_MISSES + 10))).toBe(
        'io server disconnect',
      );
      const lived = silent.disconnectedAt! - openedAt;
      expect(lived).toBeGreaterThanOrEqual(HEARTBEAT_MS * HEARTBEAT_MISSES * 0.8);
      const beats = silent.received('heartbeat');
      expect(beats.length).toBe(HEARTBEAT_MISSES);
      for (const beat of beats) {
        expect(Number.isInteger(beat.seq)).toBe(true);
        expect(Math.abs(Date.parse(beat.at) - Date.now())).toBeLessThan(5_000);
      }
      expect(beats[1].seq).toBeGreaterThan(beats[0].seq);

      await vi.waitFor(async () => {
        const s = await stats();
        expect(s.perWorkspace).toEqual({ [ws.id]: 1 });
        expect(s.local).toBe(1);
        expect(s.heartbeatDisconnects).toBe(before.heartbeatDisconnects + 1);
      });

      // The answering client keeps receiving heartbeats and stays connected.
      const seen = answering.received('heartbeat').length;
      await sleep(HEARTBEAT_MS * (HEARTBEAT_MISSES + 4));
      expect(answering.connected).toBe(true);
      expect(answering.received('heartbeat').length).toBeGreaterThanOrEqual(
        seen + HEARTBEAT_MISSES + 2,
      );
      expect((await stats()).heartbeatDisconnects).toBe(before.heartbeatDisconnects + 1);
    });
  });

  describe('client messages', () => {
    it('answers a malformed message with an error event and keeps serving', async () => {
      const client = await connect(ws.id);
      const raw = client.socket as unknown as { emit(event: string, ...args: unknown[]): void };
      const cases: [string, unknown[], RegExp][] = [
        ['subscribe', [{ workspaceId: other.id }], /Unknown event "subscribe"/],
        ['heartbeat_response', [{}], /heartbeat_response needs \{ seq: integer \}/],
        ['heartbeat_response', [], /heartbeat_response needs/],
        ['heartbeat_response', ['7'], /heartbeat_response needs/],
        ['heartbeat_response', [{ seq: 1.5 }], /heartbeat_response needs/],
        ['heartbeat_response', [{ seq: '3' }], /heartbeat_response needs/],
        ['x'.repeat(500), [], /^Unknown event "x+$/],
      ];
      for (const [event, args, message] of cases) {
        const since = client.mark();
        raw.emit(event, ...args);
        const error = await client.waitFor('error', { since });
        expect(error.code, event).toBe('BAD_MESSAGE');
        expect(error.message, event).toMatch(message);
      }
      // Still connected, still in its room, still answering heartbeats.
      await sleep(HEARTBEAT_MS * (HEARTBEAT_MISSES + 2));
      expect(client.connected).toBe(true);
      const since = client.mark();
      const res = await t.api.patch(
        `/api/workspaces/${ws.id}`,
        { description: 'still here' },
        {
          token: owner.token,
        },
      );
      expect(res.status, res.text).toBe(200);
      await client.waitFor('workspace.updated', { since });
      await connect(ws.id);
      expect(gateway.registry.size).toBe(2);
    });

    it(`answers messages past WS_MESSAGES_PER_MIN (${MESSAGES_PER_MIN}) with RATE_LIMITED`, async () => {
      const client = await connect(ws.id);
      const bystander = await connect(ws.id);
      const since = client.mark();
      const flood = MESSAGES_PER_MIN * 3;
      for (let i = 0; i < flood; i++) client.socket.emit('heartbeat_response', { seq: -1 });
      const limited = () =>
        client.events
          .slice(since)
          .filter((e) => e.name === 'error' && e.payload.code === 'RATE_LIMITED');
      await vi.waitFor(() =>
        expect(limited().length).toBeGreaterThan(flood - MESSAGES_PER_MIN - 5),
      );
      await sleep(HEARTBEAT_MS * 2);
      // About a minute's budget went through; the rest was refused, one error each.
      const accepted = flood - limited().length;
      expect(accepted).toBeGreaterThanOrEqual(MESSAGES_PER_MIN - 2);
      expect(accepted).toBeLessThanOrEqual(MESSAGES_PER_MIN + 3);
      expect(limited()[0].payload).toEqual({
        code: 'RATE_LIMITED',
        message: 'Too many messages; slow down',
      });
      // The flood hurt no one: the sender stays (its heartbeat answers fit the refill), the
      // other client saw no error.
      await sleep(HEARTBEAT_MS * (HEARTBEAT_MISSES + 2));
      expect(client.connected).toBe(true);
      expect(bystander.connected).toBe(true);
      expect(bystander.received('error')).toEqual([]);
    });

    it('closes a connection that sends a message over the 16 KB limit, and frees its slot', async () => {
      const big = await connect(ws.id);
      const bystander = await connect(ws.id);
      big.socket.emit('heartbeat_response', { seq: 1, pad: 'x'.repeat(20_000) } as { seq: number });
      expect(await big.waitForDisconnect()).toBe('transport close');
      await vi.waitFor(async () => expect((await stats()).perWorkspace).toEqual({ [ws.id]: 1 }));
      expect(bystander.connected).toBe(true);
    });
  });
});

describe('realtime gateway: a client that stops reading', () => {
  const MAX_BACKLOG = 10;
  let t: TestApp;
  const clients: RealtimeClient[] = [];

  beforeAll(async () => {
    // Heartbeat misses out of the way (100 × 200 ms): only the backlog bound can drop it.
    t = await startTestApp({
      env: {
        ...REALTIME_ENV,
        WS_HEARTBEAT_MS: '200',
        WS_HEARTBEAT_MISSES: '100',
        WS_MAX_BACKLOG: String(MAX_BACKLOG),
      },
    });
  });
  afterAll(async () => {
    await closeAll(clients);
    await t?.close();
  });

  it(`is dropped once more than WS_MAX_BACKLOG (${MAX_BACKLOG}) packets wait for it, with its connection and slot`, async () => {
    const f = factory(t.api);
    const owner = await f.user();
    const ws = await f.workspace(owner);
    const agent = await f.agent(owner, ws.id);
    const process = await f.process(owner, ws.id, agent.id);
    const gateway = t.app.get(RealtimeGateway);
    const io = ioOf(t);
    const engineBefore = io.engine.clientsCount;

    const reader = new RealtimeClient(t.baseUrl, { token: owner.token, workspaceId: ws.id });
    const stalled = new RealtimeClient(t.baseUrl, { token: owner.token, workspaceId: ws.id });
    clients.push(reader, stalled);
    await reader.open();
    await stalled.open();
    expect(io.engine.clientsCount).toBe(engineBefore + 2);
    // The stalled client stops reading its TCP socket: the server's sends back up.
    const tcp = (stalled.socket.io.engine.transport as unknown as { ws: { _socket: TcpSocket } }).ws
      ._socket;
    tcp.pause();
    try {
      const content = 'x'.repeat(8_000);
      const steps = Array.from({ length: 100 }, () => ({ kind: 'observation', content }));
      let requests = 0;
      const deadline = performance.now() + 20_000;
      while ((await gateway.stats()).backlogDisconnects === 0 && performance.now() < deadline) {
        const bulk = `/api/thinking/${process.id}/steps/bulk`;
        const res = await t.api.post(bulk, { steps }, { token: owner.token });
        expect(res.status, res.text).toBe(201);
        requests += 1;
      }
      const s = await gateway.stats();
      expect(s.backlogDisconnects, `after ${requests} bulk requests of 100 × 8 KB`).toBe(1);
      expect(s.heartbeatDisconnects).toBe(0);
      // Its slot is free, the reading client is untouched and got everything.
      expect(s.perWorkspace).toEqual({ [ws.id]: 1 });
      expect(gateway.registry.size).toBe(1);
      expect(reader.connected).toBe(true);
      await vi.waitFor(() =>
        expect(reader.received('thinking.step').length).toBe(requests * steps.length),
      );
      // ...and the server does not keep the dropped connection (and what it had queued for it).
      await vi.waitFor(() => expect(io.engine.clientsCount).toBe(engineBefore + 1), {
        timeout: 3_000,
      });
    } finally {
      // Reading again lets whatever the server still holds drain (and the app close quickly).
      tcp.resume();
    }
  });
});

describe('realtime gateway: graceful shutdown', () => {
  it('app.close() sends server_shutdown to every client, disconnects them and frees their slots', async () => {
    const t = await startTestApp({ env: REALTIME_ENV });
    let closed = false;
    const clients: RealtimeClient[] = [];
    try {
      const f = factory(t.api);
      const owner = await f.user();
      const [a, b] = [await f.workspace(owner), await f.workspace(owner)];
      for (const w of [a, a, b]) {
        clients.push(await connectClient(t.baseUrl, { token: owner.token, workspaceId: w.id }));
      }
      const gateway = t.app.get(RealtimeGateway);
      expect(gateway.registry.size).toBe(3);

      const started = performance.now();
      await t.app.close();
      closed = true;
      expect(performance.now() - started).toBeLessThan(5_000);

      // Each client is told first, then disconnected, and every slot is free.
      const outcomes = await Promise.all(
        clients.map(async (client) => {
          const reason = await client.waitForDisconnect(1_000).catch(() => 'still connected');
          const told = client.events.find((e) => e.name === 'server_shutdown');
          return {
            serverShutdown: told?.payload,
            toldBeforeDisconnect: told !== undefined && told.at <= (client.disconnectedAt ?? 0),
            reason,
          };
        }),
      );
      expect(outcomes.map(({ reason: _, ...rest }) => rest)).toEqual(
        clients.map(() => ({
          serverShutdown: { retryAfterMs: expect.any(Number) as number },
          toldBeforeDisconnect: true,
        })),
      );
      expect(outcomes.map((o) => o.reason)).not.toContain('still connected');
      expect(gateway.registry.size).toBe(0);
      expect(await gateway.limiter.counts()).toEqual({ total: 0, perWorkspace: {} });
      // Nothing listens any more.
      await expect(
        connectClient(t.baseUrl, { token: owner.token, workspaceId: a.id }, { timeoutMs: 1_000 }),
      ).rejects.toBeInstanceOf(ConnectRefused);
      // The server disconnected them (socket.io's "io server disconnect": socket.io-client then
      // does not reconnect on its own but waits retryAfterMs), not a dropped transport.
      expect(outcomes.map((o) => o.reason)).toEqual(clients.map(() => 'io server disconnect'));
    } finally {
      await closeAll(clients);
      if (closed) await t.database.drop();
      else await t.close();
    }
  });

  it('app.close() finishes promptly even when a client has stopped reading', async () => {
    // Default heartbeat (25 s): the stalled client is still registered when the app closes.
    const t = await startTestApp();
    const clients: RealtimeClient[] = [];
    let tcp: TcpSocket | undefined;
    let closing: Promise<void> | undefined;
    try {
      const f = factory(t.api);
      const owner = await f.user();
      const ws = await f.workspace(owner);
      for (let i = 0; i < 2; i++) {
        clients.push(await connectClient(t.baseUrl, { token: owner.token, workspaceId: ws.id }));
      }
      // A client whose machine went to sleep: its TCP connection is up, nothing reads it.
      tcp = (clients[1].socket.io.engine.transport as unknown as { ws: { _socket: TcpSocket } }).ws
        ._socket;
      tcp.pause();

      const started = performance.now();
      closing = t.app.close();
      const finished = await Promise.race([
        closing.then(() => true),
        sleep(5_000).then(() => false),
      ]);
      const took = Math.round(performance.now() - started);
      // main.ts gives the whole shutdown SHUTDOWN_TIMEOUT_MS (10 s by default) before exit(1).
      expect(finished, `app.close() still running after ${took} ms`).toBe(true);
      expect(await clients[0].waitForDisconnect(1_000)).toMatch(/disconnect|close/);
    } finally {
      tcp?.resume();
      await closeAll(clients);
      await (closing ?? t.app.close());
      await t.database.drop();
    }
  });
});
