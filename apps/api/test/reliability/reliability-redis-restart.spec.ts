import type { Agent, PerformanceMetrics, RealtimeStats } from '@orch/contracts';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { ApiClient } from '../support/api-client.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { factory, type TestUser } from '../support/factories.js';
import { MixedLoad, summarise } from '../support/mixed-load.js';
import { type RedisServer, startRedisServer } from '../support/redis-server.js';
import { closeAll, RealtimeClient } from '../support/socket-client.js';
import { operatorToken } from '../support/operator.js';
import { type ApiProcess, spawnApi } from '../support/spawn-api.js';

/**
 * Redis (a redis-server of this test's own) killed and started again, empty, under a mixed load
 * on two built API processes with websocket clients on both. As documented (docs/caching.md,
 * docs/realtime.md, docs/security.md): no 5xx, reads go to the database, each instance pushes
 * to its own clients and counts its own sockets and rate limits; once Redis is back, cross-
 * instance fan-out and the shared cache resume and the connection limiter rewrites its counts.
 * RELIABILITY_LONG=1 holds the load and the outage longer.
 */

const LONG = process.env.RELIABILITY_LONG === '1';
const JWT_SECRET = 'redis-restart-secret-at-least-32-characters';
const USERS = 8;
const BEFORE_MS = LONG ? 10_000 : 1_000;
const OUTAGE_MS = LONG ? 10_000 : 2_000;
const AFTER_MS = LONG ? 10_000 : 1_000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The instance-wide realtime figures (an operator's). */
async function realtimeOf(api: ApiClient): Promise<RealtimeStats> {
  const res = await api.get<PerformanceMetrics>('/api/performance/metrics', {
    token: await operatorToken(api),
  });
  expect(res.status, res.text).toBe(200);
  return res.body.realtime;
}

describe('Redis killed and restarted under load, two instances', () => {
  let redis: RedisServer;
  let database: TestDatabase;
  let a: ApiProcess;
  let b: ApiProcess;
  let owner: TestUser;
  const clients: RealtimeClient[] = [];

  beforeAll(async () => {
    redis = await startRedisServer();
    database = await createTestDatabase();
    const env = {
      DATABASE_URL: database.url,
      REDIS_URL: redis.url,
      JWT_SECRET,
      DB_POOL_MAX: '5',
      RATE_LIMIT_MULTIPLIER: '1000',
      DEMO_ACTIVITY: 'off',
      GOAL_MONITOR_ENABLED: 'false',
      WS_MAX_PER_WORKSPACE: '20',
      WS_INSTANCE_TTL_MS: '2000',
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

  it('answers everything without Redis, pushes locally, and resumes sharing by itself', async () => {
    const ws = await factory(a.api).workspace(owner);
    const agent = await factory(a.api).agent(owner, ws.id);
    const connect = async (url: string) => {
      const client = new RealtimeClient(url, { token: owner.token, workspaceId: ws.id });
      clients.push(client);
      return client.open();
    };
    const onA = await Promise.all([1, 2, 3].map(() => connect(a.url)));
    const onB = await Promise.all([1, 2].map(() => connect(b.url)));
    await vi.waitFor(async () => expect((await realtimeOf(a.api)).total).toBe(5), {
      timeout: 3_000,
    });
    const rename = async (api: ApiClient, name: string) => {
      const res = await api.patch<Agent>(
        `/api/agents/${agent.id}`,
        { name },
        { token: owner.token },
      );
      expect(res.status, res.text).toBe(200);
    };
    const pushedTo = (list: RealtimeClient[], name: string) =>
      Promise.all(
        list.map((c) => c.waitFor('agent.updated', { where: (p) => p.agent.name === name })),
      );
    // Before: a write on A reaches B's clients through Redis.
    await rename(a.api, 'before');
    await pushedTo(onB, 'before');

    const load = new MixedLoad({
      targets: [a.url, b.url],
      token: owner.token,
      workspaceId: ws.id,
      users: USERS,
    }).start();
    await sleep(BEFORE_MS);
    const downAt = load.now();
    await redis.stop();
    await Promise.all([a, b].map((p) => p.waitForOutput(/Redis is unreachable/)));

    // While Redis is down: each instance pushes to its own clients.
    await rename(a.api, 'during');
    await pushedTo(onA, 'during');
    // Reads bypass the cache (X-DB-Queries > 0 every time), and still answer.
    for (let i = 0; i < 3; i++) {
      const res = await b.api.get(`/api/workspaces/${ws.id}`, { token: owner.token });
      expect(res.status).toBe(200);
      expect(Number(res.headers.get('x-db-queries'))).toBeGreaterThan(0);
    }
    // A new socket is still admitted, counted locally.
    const late = await connect(a.url);
    await sleep(OUTAGE_MS);
    expect(late.connected).toBe(true);
    const upAt = load.now();
    await redis.start();

    // After: the limiter rewrites its hash in the empty Redis (6 sockets on both) ...
    await vi.waitFor(
      async () => {
        const s = await realtimeOf(b.api);
        expect(s.total).toBe(6);
        expect(s.perWorkspace[ws.id]).toBe(6);
      },
      { timeout: 10_000, interval: 100 },
    );
    // ... fan-out across instances resumes ...
    await vi.waitFor(
      async () => {
        const name = `after-${Date.now()}`;
        await rename(a.api, name);
        await pushedTo(onB, name);
      },
      { timeout: 10_000, interval: 200 },
    );
    // ... and the shared cache serves again: a repeated read makes no query.
    await vi.waitFor(
      async () => {
        await b.api.get(`/api/workspaces/${ws.id}`, { token: owner.token });
        const res = await b.api.get(`/api/workspaces/${ws.id}`, { token: owner.token });
        expect(res.status).toBe(200);
        expect(res.headers.get('x-db-queries')).toBe('0');
      },
      { timeout: 10_000, interval: 100 },
    );
    await sleep(AFTER_MS);
    await load.stop();

    const all = summarise(load.outcomes);
    const outage = summarise(load.between(downAt, upAt));
    console.log(`[redis restart] all ${JSON.stringify(all)}; outage ${JSON.stringify(outage)}`);
    expect(load.outcomes.filter((o) => o.status < 200 || o.status >= 300)).toEqual([]);
    expect(outage.requests).toBeGreaterThan(USERS);
    // Every socket stayed connected through the outage.
    expect([...onA, ...onB, late].every((c) => c.connected)).toBe(true);
  }, 60_000);
});
