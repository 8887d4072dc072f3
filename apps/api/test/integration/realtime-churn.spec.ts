import type { Socket as TcpSocket } from 'node:net';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { Server } from 'socket.io';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DomainEvents } from '../../src/infra/events/domain-events.js';
import { RealtimeGateway } from '../../src/modules/realtime/realtime.gateway.js';
import { factory, type TestUser } from '../support/factories.js';
import { RealtimeClient, refusedHandshake } from '../support/socket-client.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/**
 * Thousands of connections come and go; nothing may stay behind: not in the gateway's
 * registry, not in the limiter, not in socket.io's sockets, rooms or engine clients, not as
 * listeners, handles or heap. Every way a connection ends takes part: a clean disconnect,
 * a dropped TCP connection, a limit rejection, a refused handshake, after a heartbeat, after
 * a malformed message.
 */
const CYCLES = 5_000;
const WARMUP = 500;
const CONCURRENCY = 50;
const PER_WORKSPACE = 20;
const HEARTBEAT_MS = 200;

/** A full collection: the test runner starts without --expose-gc, so switch it on here. */
function collector(): () => void {
  const exposed = globalThis.gc;
  if (typeof exposed === 'function') return () => void exposed();
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

type Kind = 'clean' | 'heartbeat' | 'message' | 'dropped' | 'rejected' | 'refused';
/** Out of every 20 cycles: 14 clean, 1 after a heartbeat... (see the switch below). */
function kindOf(i: number): Kind {
  switch (i % 20) {
    case 3:
      return 'dropped';
    case 7:
      return 'rejected';
    case 11:
      return 'message';
    case 13:
      return 'refused';
    case 0:
    case 10:
      return 'heartbeat';
    default:
      return 'clean';
  }
}

interface Snapshot {
  registry: number;
  limiter: unknown;
  sockets: number;
  rooms: number;
  sids: number;
  engineClients: number;
  listeners: Record<string, number>;
  domainEventHandlers: number;
  heapUsed: number;
  handles: Record<string, number>;
}

describe('realtime churn', () => {
  let t: TestApp;
  let owner: TestUser;
  let workspaces: string[];
  let full: string;
  const held: RealtimeClient[] = [];

  beforeAll(async () => {
    t = await startTestApp({
      env: {
        WS_MAX_PER_WORKSPACE: String(PER_WORKSPACE),
        WS_MAX_TOTAL: '200',
        WS_HEARTBEAT_MS: String(HEARTBEAT_MS),
        WS_HEARTBEAT_MISSES: '5',
        WS_MESSAGES_PER_MIN: '1000',
        DB_POOL_MAX: '10',
      },
    });
    const f = factory(t.api);
    owner = await f.user();
    workspaces = [];
    for (let i = 0; i < 4; i++) workspaces.push((await f.workspace(owner)).id);
    // A workspace held full for the whole run: its cycles are rejected with workspace_limit.
    full = (await f.workspace(owner)).id;
    for (let i = 0; i < PER_WORKSPACE; i++) {
      held.push(
        await new RealtimeClient(t.baseUrl, { token: owner.token, workspaceId: full }).open(),
      );
    }
  });
  afterAll(async () => {
    await Promise.all(held.map((c) => c.close()));
    await t?.close();
  });

  async function cycle(i: number): Promise<void> {
    const kind = kindOf(i);
    const workspaceId = workspaces[i % workspaces.length];
    if (kind === 'refused') {
      const data = await refusedHandshake(t.baseUrl, { token: 'not-a-token', workspaceId });
      if (data?.code !== 'UNAUTHENTICATED') throw new Error(`cycle ${i}: ${JSON.stringify(data)}`);
      return;
    }
    const client = new RealtimeClient(t.baseUrl, {
      token: owner.token,
      workspaceId: kind === 'rejected' ? full : workspaceId,
    });
    try {
      await client.open();
      switch (kind) {
        case 'rejected':
          await client.waitFor('connection_rejected');
          await client.waitForDisconnect();
          break;
        case 'heartbeat':
          await client.waitFor('heartbeat', { timeoutMs: HEARTBEAT_MS * 10 });
          break;
        case 'message': {
          (client.socket as unknown as { emit(e: string): void }).emit('nonsense');
          await client.waitFor('error');
          break;
        }
        case 'dropped': {
          // The TCP connection just goes: no DISCONNECT packet, no close frame.
          const engine = client.socket.io.engine as unknown as {
            transport: { ws: { _socket: TcpSocket } };
          };
          engine.transport.ws._socket.destroy();
          await client.waitForDisconnect();
          break;
        }
        default:
          break;
      }
    } finally {
      await client.close();
    }
  }

  async function churn(from: number, count: number): Promise<void> {
    let next = from;
    const end = from + count;
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < end) await cycle(next++);
      }),
    );
  }

  async function snapshot(): Promise<Snapshot> {
    const gateway = t.app.get(RealtimeGateway);
    const io = (gateway as unknown as { server: Server }).server;
    const nsp = io.of('/');
    const http = t.app.getHttpServer();
    // Settled: every socket but the held ones has gone, on both ends.
    const deadline = Date.now() + 10_000;
    while (
      (gateway.registry.size !== held.length || io.engine.clientsCount !== held.length) &&
      Date.now() < deadline
    ) {
      await sleep(20);
    }
    await sleep(100);
    const gc = collector();
    for (let i = 0; i < 3; i++) {
      gc();
      await sleep(20);
    }
    const handles: Record<string, number> = {};
    for (const type of process.getActiveResourcesInfo()) handles[type] = (handles[type] ?? 0) + 1;
    // The database pool grows and shrinks with load on its own: its connections are not ours.
    const pool = (t.db.driver as unknown as { master: { totalCount: number } }).master;
    handles.TCPSocketWrap = (handles.TCPSocketWrap ?? 0) - pool.totalCount;
    return {
      registry: gateway.registry.size,
      limiter: await gateway.limiter.counts(),
      sockets: nsp.sockets.size,
      rooms: nsp.adapter.rooms.size,
      sids: nsp.adapter.sids.size,
      engineClients: io.engine.clientsCount,
      listeners: {
        'http upgrade': http.listenerCount('upgrade'),
        'http request': http.listenerCount('request'),
        'http connection': http.listenerCount('connection'),
        'engine connection': io.engine.listenerCount('connection'),
        'namespace connection': nsp.listenerCount('connection'),
        'process exit': process.listenerCount('exit'),
        'process warning': process.listenerCount('warning'),
      },
      domainEventHandlers: (t.app.get(DomainEvents) as unknown as { handlers: Set<unknown> })
        .handlers.size,
      heapUsed: process.memoryUsage().heapUsed,
      handles,
    };
  }

  it(`${CYCLES.toLocaleString('en')} connect/disconnect cycles, ${CONCURRENCY} at a time, leave nothing behind`, async () => {
    const gateway = t.app.get(RealtimeGateway);
    const started = performance.now();
    // Warm-up: first-use allocations (JIT, pools, caches) are not a leak.
    await churn(0, WARMUP);
    const before = await snapshot();
    const statsBefore = await gateway.stats();

    await churn(WARMUP, CYCLES);
    const after = await snapshot();
    const statsAfter = await gateway.stats();
    const elapsed = performance.now() - started;

    // Exactly the held connections remain, everywhere.
    expect(before.registry).toBe(PER_WORKSPACE);
    expect(after.registry).toBe(before.registry);
    expect(after.limiter).toEqual({
      total: PER_WORKSPACE,
      perWorkspace: { [full]: PER_WORKSPACE },
    });
    expect(after.limiter).toEqual(before.limiter);
    expect(after.sockets).toBe(PER_WORKSPACE);
    expect(after.engineClients).toBe(PER_WORKSPACE);
    // Rooms: one per socket id plus the held workspace's room.
    expect(after.rooms).toBe(PER_WORKSPACE + 1);
    expect(after.sids).toBe(PER_WORKSPACE);
    expect(after.listeners).toEqual(before.listeners);
    expect(after.domainEventHandlers).toBe(before.domainEventHandlers);

    // Every rejection was counted, and no client was dropped for missing heartbeats.
    const per = (kind: Kind) =>
      Array.from({ length: CYCLES }, (_, i) => WARMUP + i).filter((i) => kindOf(i) === kind).length;
    expect(statsAfter.rejected.workspace_limit - statsBefore.rejected.workspace_limit).toBe(
      per('rejected'),
    );
    expect(statsAfter.heartbeatDisconnects).toBe(0);
    expect(statsAfter.backlogDisconnects).toBe(0);

    // The heap after a full collection: within 10% of where it started.
    const growth = (after.heapUsed - before.heapUsed) / before.heapUsed;
    expect(
      growth,
      `heap ${(before.heapUsed / 2 ** 20).toFixed(1)} -> ${(after.heapUsed / 2 ** 20).toFixed(1)} MiB`,
    ).toBeLessThan(0.1);
    // No handle (socket, timer, server) left behind.
    const total = (h: Record<string, number>) => Object.values(h).reduce((a, b) => a + b, 0);
    expect(after.handles.TCPSocketWrap ?? 0).toBeLessThanOrEqual(before.handles.TCPSocketWrap ?? 0);
    expect(after.handles.TCPServerWrap ?? 0).toBe(before.handles.TCPServerWrap ?? 0);
    expect(
      total(after.handles),
      JSON.stringify({ before: before.handles, after: after.handles }),
    ).toBeLessThanOrEqual(total(before.handles) + 2);
    expect(elapsed).toBeLessThan(60_000);
    console.log(
      `[churn] ${CYCLES} cycles in ${(elapsed / 1000).toFixed(1)} s; heap ` +
        `${(before.heapUsed / 2 ** 20).toFixed(1)} -> ${(after.heapUsed / 2 ** 20).toFixed(1)} MiB ` +
        `(${(growth * 100).toFixed(1)}%); handles ${JSON.stringify(before.handles)} -> ${JSON.stringify(after.handles)}`,
    );
  }, 90_000);
});
