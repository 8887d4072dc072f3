import type { Agent, PerformanceMetrics, RealtimeStats, Workspace } from '@orch/contracts';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { RealtimeGateway } from '../../src/modules/realtime/realtime.gateway.js';
import type { ApiClient } from '../support/api-client.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { factory, type TestUser } from '../support/factories.js';
import { type RedisServer, startRedisServer } from '../support/redis-server.js';
import { closeAll, RealtimeClient } from '../support/socket-client.js';
import { type ApiProcess, spawnApi } from '../support/spawn-api.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { operatorToken } from '../support/operator.js';

/**
 * Two built API processes (what `npm start` runs) on one database and one Redis of this
 * test's own: connection limits counted across both, broadcasts carried by the Redis adapter,
 * and a crashed instance's slots expiring with its TTL hash. Then an in-process app on a
 * Redis of its own, for what only an in-process app can show.
 */

const JWT_SECRET = 'realtime-multi-instance-secret-at-least-32-chars';
const PER_WORKSPACE = 3;
const TOTAL = 8;
const TTL_MS = 2_000;
/** The limiter refreshes its hash every ttl/3 (at least 250 ms). */
const REFRESH_MS = Math.max(250, Math.floor(TTL_MS / 3));
const INSTANCES_KEY = 'orch:ws:instances';
const INSTANCE_KEYS = 'orch:ws:instance:*';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function statsOf(api: ApiClient, _user: TestUser): Promise<RealtimeStats> {
  const res = await api.get<PerformanceMetrics>('/api/performance/metrics', {
    token: await operatorToken(api),
  });
  expect(res.status, res.text).toBe(200);
  return res.body.realtime;
}

describe('realtime across two API processes sharing Redis', () => {
  let redis: RedisServer;
  let database: TestDatabase;
  let a: ApiProcess;
  let b: ApiProcess;
  let owner: TestUser;
  const clients: RealtimeClient[] = [];

  const connect = (instance: ApiProcess, workspaceId: string): Promise<RealtimeClient> => {
    const client = new RealtimeClient(instance.url, { token: owner.token, workspaceId });
    clients.push(client);
    return client.open();
  };
  /** What the instances logged about Redis and the limiter: context for a failure. */
  const redisLog = () =>
    [a, b]
      .map((p, i) =>
        p
          .output()
          .split('\n')
          .filter((l) => /ConnectionLimiter|Redis/.test(l))
          .map((l) => `${'AB'[i]}: ${l}`)
          .join('\n'),
      )
      .join('\n');
  const expectRejected = async (client: RealtimeClient, reason: string, limit: number) => {
    const rejected = await client
      .waitFor('connection_rejected')
      .catch((error: Error) => new Error(`${error.message}\n${redisLog()}`));
    if (rejected instanceof Error) throw rejected;
    expect(rejected).toEqual({
      reason,
      limit,
      retryAfterMs: expect.any(Number) as number,
    });
    expect(await client.waitForDisconnect()).toBe('io server disconnect');
  };
  /**
   * A client's `connect` comes before the server has taken its slot (one Redis round trip
   * later; a connection over a limit is told so right after `connect`): wait until both
   * instances' slots are in Redis before counting on them.
   */
  const settled = (total: number) =>
    vi.waitFor(async () => expect((await statsOf(a.api, owner)).total).toBe(total), {
      timeout: 3_000,
      interval: 20,
    });
  const expectStays = async (client: RealtimeClient) => {
    await sleep(300);
    expect(client.connected, client.summary()).toBe(true);
    expect(client.received('connection_rejected')).toEqual([]);
  };

  beforeAll(async () => {
    redis = await startRedisServer();
    database = await createTestDatabase();
    const env = {
      DATABASE_URL: database.url,
      REDIS_URL: redis.url,
      JWT_SECRET,
      DEMO_SEED: 'false',
      DEMO_ACTIVITY: 'off',
      RATE_LIMIT_MULTIPLIER: '1000',
      DB_POOL_MAX: '3',
      WS_MAX_PER_WORKSPACE: String(PER_WORKSPACE),
      WS_MAX_TOTAL: String(TOTAL),
      WS_INSTANCE_TTL_MS: String(TTL_MS),
      WS_HEARTBEAT_MS: '1000',
    };
    [a, b] = await Promise.all([spawnApi(env), spawnApi(env)]);
    owner = await factory(a.api).user();
  }, 90_000);

  afterAll(async () => {
    await closeAll(clients);
    await Promise.all([a?.stop(), b?.stop()]);
    await redis?.close();
    await database?.drop();
  });

  afterEach(async () => {
    await closeAll(clients);
    // Every test starts with no slot taken anywhere (B may be dead by then).
    await vi.waitFor(async () => expect((await statsOf(a.api, owner)).total).toBe(0), {
      timeout: TTL_MS * 2,
      interval: 50,
    });
  });

  it(`counts a workspace's connections across both: 2 on A + 1 on B, the ${PER_WORKSPACE + 1}th on either is rejected`, async () => {
    const ws = await factory(a.api).workspace(owner);
    await connect(a, ws.id);
    await connect(a, ws.id);
    const onB = await connect(b, ws.id);
    await settled(3);

    for (const instance of [a, b]) {
      await expectRejected(await connect(instance, ws.id), 'workspace_limit', PER_WORKSPACE);
    }
    const [sa, sb] = [await statsOf(a.api, owner), await statsOf(b.api, owner)];
    expect(sa).toMatchObject({ local: 2, total: 3, perWorkspace: { [ws.id]: 3 } });
    expect(sb).toMatchObject({ local: 1, total: 3, perWorkspace: { [ws.id]: 3 } });
    expect(sa.instanceId).not.toBe(sb.instanceId);
    expect([sa.rejected.workspace_limit, sb.rejected.workspace_limit]).toEqual([1, 1]);

    // Each instance keeps its counts in its own hash, with a TTL.
    const keys = (await redis.keys(INSTANCE_KEYS)).sort();
    expect(keys).toEqual(
      [`orch:ws:instance:${sa.instanceId}`, `orch:ws:instance:${sb.instanceId}`].sort(),
    );
    for (const key of keys) {
      const ttl = Number(await redis.command('PTTL', key));
      expect(ttl).toBeGreaterThan(0);
      expect(ttl).toBeLessThanOrEqual(TTL_MS);
    }
    expect(await redis.command('HGET', `orch:ws:instance:${sa.instanceId}`, ws.id)).toBe('2');
    expect(await redis.command('HGET', `orch:ws:instance:${sb.instanceId}`, ws.id)).toBe('1');

    // A slot given back on B is free on A.
    await onB.close();
    await vi.waitFor(async () => expect((await statsOf(a.api, owner)).perWorkspace[ws.id]).toBe(2));
    await expectStays(await connect(a, ws.id));
    expect((await statsOf(b.api, owner)).perWorkspace[ws.id]).toBe(3);
  });

  it(`counts the global limit (${TOTAL}) across both`, async () => {
    const f = factory(a.api);
    const workspaces = [
      await f.workspace(owner),
      await f.workspace(owner),
      await f.workspace(owner),
    ];
    // 3 + 3 + 2 = 8: alternating instances.
    const plan = [0, 0, 0, 1, 1, 1, 2, 2].map((i) => workspaces[i].id);
    for (const [i, id] of plan.entries()) await connect(i % 2 === 0 ? a : b, id);
    await settled(TOTAL);
    for (const instance of [a, b]) {
      await expectRejected(await connect(instance, workspaces[2].id), 'global_limit', TOTAL);
    }
    expect((await statsOf(b.api, owner)).total).toBe(TOTAL);
  });

  it('carries a write on A to a client on B, and a write on B to a client on A, in its room only', async () => {
    const f = factory(a.api);
    const ws = await f.workspace(owner);
    const otherWs = await f.workspace(owner);
    const agent = await f.agent(owner, ws.id);
    const otherAgent = await f.agent(owner, otherWs.id);
    const onA = await connect(a, ws.id);
    const onB = await connect(b, ws.id);
    const otherOnB = await connect(b, otherWs.id);
    const marks = [onA.mark(), onB.mark(), otherOnB.mark()];

    const viaA = await a.api.patch<Agent>(
      `/api/agents/${agent.id}`,
      { name: 'Written on A' },
      { token: owner.token },
    );
    expect(viaA.status, viaA.text).toBe(200);
    for (const [client, since] of [
      [onB, marks[1]],
      [onA, marks[0]],
    ] as const) {
      expect(
        await client.waitFor('agent.updated', {
          since,
          where: (p) => p.agent.name === 'Written on A',
        }),
      ).toEqual({ agent: viaA.body });
    }

    const viaB = await b.api.patch<Workspace>(
      `/api/workspaces/${ws.id}`,
      { name: 'Written on B' },
      { token: owner.token },
    );
    expect(viaB.status, viaB.text).toBe(200);
    expect(await onA.waitFor('workspace.updated', { since: marks[0] })).toEqual({
      workspace: viaB.body,
    });

    // Fence in the other room: had either event reached it, it would have come first.
    const fence = await a.api.patch<Agent>(
      `/api/agents/${otherAgent.id}`,
      { name: 'Fence' },
      { token: owner.token },
    );
    expect(fence.status, fence.text).toBe(200);
    await otherOnB.waitFor('agent.updated', { since: marks[2] });
    expect(otherOnB.events.slice(marks[2]).map((e) => e.name)).not.toContain('workspace.updated');
    expect(otherOnB.received('agent.updated')).toEqual([{ agent: fence.body }]);
  });

  it(`frees the slots of an instance killed with SIGKILL once its hash expires (TTL ${TTL_MS} ms)`, async () => {
    const f = factory(a.api);
    const ws = await f.workspace(owner);
    const ws2 = await f.workspace(owner);
    await connect(a, ws.id);
    await connect(a, ws.id);
    const onB = [await connect(b, ws.id), await connect(b, ws2.id), await connect(b, ws2.id)];
    await settled(5);
    const sb = await statsOf(b.api, owner);
    expect(await statsOf(a.api, owner)).toMatchObject({
      local: 2,
      total: 5,
      perWorkspace: { [ws.id]: 3, [ws2.id]: 2 },
    });
    await expectRejected(await connect(a, ws.id), 'workspace_limit', PER_WORKSPACE);

    // B's hash as it was when B died: read its TTL and take it away in one step, right after
    // the kill, so the test (not the scheduler) decides how long the dead instance's slots live.
    const hashOfB = `orch:ws:instance:${sb.instanceId}`;
    process.kill(b.pid, 'SIGKILL');
    const ttlAtKill = Number(
      await redis.command(
        'EVAL',
        "local t = redis.call('PTTL', KEYS[1]); redis.call('PERSIST', KEYS[1]); return t",
        1,
        hashOfB,
      ),
    );
    // B refreshed it with the configured TTL (-2 would mean it was already gone, -1 no TTL).
    expect(ttlAtKill).toBeGreaterThan(0);
    expect(ttlAtKill).toBeLessThanOrEqual(TTL_MS);
    const exit = await b.stop(5_000);
    expect(exit.signal).toBe('SIGKILL');
    for (const client of onB) {
      expect(await client.waitForDisconnect()).toMatch(/^transport (close|error)$/);
    }

    // While B's hash lives, B's slots still count, also past the TTL B would have given it:
    // A counts from the hashes in Redis, not from a clock of its own.
    await sleep(TTL_MS);
    expect(await statsOf(a.api, owner)).toMatchObject({
      local: 2,
      total: 5,
      perWorkspace: { [ws.id]: 3, [ws2.id]: 2 },
    });
    await expectRejected(await connect(a, ws.id), 'workspace_limit', PER_WORKSPACE);

    // Give the hash back the TTL B gave it; once it expires B's slots are gone, within the
    // limiter's refresh interval.
    expect(await redis.command('PEXPIRE', hashOfB, TTL_MS)).toBe(1);
    const expiresFrom = performance.now();
    let freedAfter = Number.NaN;
    await vi.waitFor(
      async () => {
        const s = await statsOf(a.api, owner);
        freedAfter = performance.now() - expiresFrom;
        expect(s).toMatchObject({ local: 2, total: 2, perWorkspace: { [ws.id]: 2 } });
        expect(s.perWorkspace[ws2.id]).toBeUndefined();
      },
      { timeout: TTL_MS + REFRESH_MS + 2_000, interval: 50 },
    );
    expect(freedAfter).toBeGreaterThan(TTL_MS - 300);
    expect(freedAfter).toBeLessThan(TTL_MS + REFRESH_MS + 1_000);

    // A accepts the workspace's third connection again, and forgets the dead instance.
    await expectStays(await connect(a, ws.id));
    // At once: a refresh while the slot's grant was on its way renews the hash, it does not
    // write A's older count back (redis-connection-limiter.spec.ts places that race exactly).
    expect((await statsOf(a.api, owner)).perWorkspace[ws.id]).toBe(3);
    expect(await redis.keys(INSTANCE_KEYS)).not.toContain(`orch:ws:instance:${sb.instanceId}`);
    expect(await redis.command('SMEMBERS', INSTANCES_KEY)).not.toContain(sb.instanceId);
  });

  it('keeps pushing to its own clients while Redis is down, and outlives the failed publishes', async () => {
    const f = factory(a.api);
    const ws = await f.workspace(owner);
    const agent = await f.agent(owner, ws.id);
    const onA = await connect(a, ws.id);
    await settled(1); // admitted: in its room, its slot in Redis
    await redis.stop();
    await a.waitForOutput(/Redis is unreachable/, 1);
    const since = onA.mark();
    const res = await a.api.patch<Agent>(
      `/api/agents/${agent.id}`,
      { name: 'During the outage' },
      { token: owner.token },
    );
    expect(res.status, res.text).toBe(200);
    expect(
      await onA.waitFor('agent.updated', {
        since,
        where: (p) => p.agent.name === 'During the outage',
      }),
    ).toEqual({ agent: res.body });
    // The adapter's publish of that broadcast to the other instances could not be sent; ioredis
    // rejects it after its next reconnect attempts fail. The process must outlive that.
    await sleep(2_500);
    const after = await a.api.get<Agent>(`/api/agents/${agent.id}`, { token: owner.token });
    expect(after.status, after.text).toBe(200);
    await redis.start();
    await a.waitForOutput(/Redis\W+connected to redis:/, 2, 20_000);
  });
});

describe('realtime with Redis, in-process', () => {
  let redis: RedisServer;
  let t: TestApp | undefined;
  const clients: RealtimeClient[] = [];

  /** Every client connection of the server, pub/sub ones included, minus the asking one. */
  const redisConnections = async () =>
    ((await redis.command('CLIENT', 'LIST')) as string).split('\n').filter((l) => l.trim()).length -
    1;

  beforeAll(async () => {
    redis = await startRedisServer();
  });
  afterEach(async () => {
    await closeAll(clients);
    const app = t;
    t = undefined;
    await app?.close();
  });
  afterAll(() => redis?.close());

  it('rebuilds its count from its own sockets when Redis lost it, even if a connection comes first', async () => {
    // TTL 3 s: a refresh every second, so the connection right after the flush comes first.
    t = await startTestApp({
      env: { REDIS_URL: redis.url, WS_INSTANCE_TTL_MS: '3000', WS_MAX_PER_WORKSPACE: '3' },
    });
    const owner = await factory(t.api).user();
    const ws = await factory(t.api).workspace(owner);
    const gateway = t.app.get(RealtimeGateway);
    const connect = () => {
      const client = new RealtimeClient(t!.baseUrl, { token: owner.token, workspaceId: ws.id });
      clients.push(client);
      return client.open();
    };
    await connect();
    await connect();
    expect(await gateway.limiter.counts()).toEqual({ total: 2, perWorkspace: { [ws.id]: 2 } });

    // Redis loses everything (a restart without persistence, a failover, an eviction)...
    await redis.command('FLUSHALL');
    // ...and the next thing this instance does is accept a connection.
    const third = await connect();
    expect(third.received('connection_rejected')).toEqual([]);

    // It holds 3 sockets: within a refresh or two, Redis must say so again.
    await vi.waitFor(
      async () =>
        expect(await gateway.limiter.counts()).toEqual({
          total: 3,
          perWorkspace: { [ws.id]: 3 },
        }),
      { timeout: 2_500, interval: 100 },
    );
    const fourth = await connect();
    expect(await fourth.waitFor('connection_rejected')).toMatchObject({
      reason: 'workspace_limit',
    });
  });

  it('closes every Redis connection it opened when the app closes', async () => {
    const before = await redisConnections();
    const app = await startTestApp({ env: { REDIS_URL: redis.url } });
    t = app;
    const owner = await factory(app.api).user();
    const ws = await factory(app.api).workspace(owner);
    const client = new RealtimeClient(app.baseUrl, { token: owner.token, workspaceId: ws.id });
    clients.push(client);
    await client.open();
    // The command connection and the socket.io adapter's publisher and subscriber.
    expect(await redisConnections()).toBeGreaterThanOrEqual(before + 3);

    t = undefined;
    await app.close();
    await closeAll(clients);
    await vi.waitFor(async () => expect(await redisConnections()).toBe(before), {
      timeout: 3_000,
      interval: 100,
    });
  });
});
