import type {
  Agent,
  CacheStatsEntry,
  CacheStatsResponse,
  Dashboard,
  Page,
  Workspace,
} from '@orch/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { etagOf } from '../../src/infra/http/cached-body.js';
import type { ApiResponse } from '../support/api-client.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { factory, type TestUser } from '../support/factories.js';
import { type RedisServer, startRedisServer } from '../support/redis-server.js';
import { type ApiProcess, spawnApi } from '../support/spawn-api.js';
import { lockTables, waitFor } from '../support/locks.js';
import { operatorToken } from '../support/operator.js';

/**
 * Two built API processes (what `npm start` runs) on one database and one Redis of this
 * test's own: a value loaded by one is a Redis hit for the other, a write on one is seen by
 * the next read on the other at once (the generations are compared in Redis in the read's
 * own round trip, whether or not the pub/sub message has arrived), a load on one that
 * straddles a write on the other is not published, and while Redis is away both keep
 * answering from the database.
 */

const JWT_SECRET = 'caching-multi-instance-secret-at-least-32-chars';

function dbQueries(res: ApiResponse<unknown>): number {
  const header = res.headers.get('x-db-queries');
  expect(header, `X-DB-Queries of ${res.status} ${res.text.slice(0, 200)}`).toMatch(/^\d+$/);
  return Number(header);
}

function ok<T>(res: ApiResponse<T>, status = 200): T {
  expect(res.status, res.text.slice(0, 500)).toBe(status);
  return res.body;
}

describe('the cache across two API processes sharing Redis', () => {
  let redis: RedisServer;
  let database: TestDatabase;
  let a: ApiProcess;
  let b: ApiProcess;
  let owner: TestUser;

  beforeAll(async () => {
    redis = await startRedisServer();
    database = await createTestDatabase();
    const env = {
      DATABASE_URL: database.url,
      REDIS_URL: redis.url,
      JWT_SECRET,
      RATE_LIMIT_MULTIPLIER: '1000',
      DB_POOL_MAX: '5',
      AI_LOCAL_COST_MS: '0',
    };
    [a, b] = await Promise.all([spawnApi(env), spawnApi(env)]);
    // The two command connections (subscribers are not `normal` clients).
    await redis.waitForClients(2);
    owner = await factory(a.api).user();
  }, 90_000);

  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    await redis?.close();
    await database?.drop();
  });

  const get = <T>(p: ApiProcess, path: string) => p.api.get<T>(path, { token: owner.token });
  const stats = async (p: ApiProcess) =>
    ok(
      await p.api.get<CacheStatsResponse>('/api/performance/cache-stats', {
        token: await operatorToken(p.api),
      }),
    );
  const counted = async (p: ApiProcess, name: string): Promise<CacheStatsEntry> =>
    (await stats(p)).caches[name];
  const rename = async (p: ApiProcess, ws: Workspace, name: string) =>
    ok(await p.api.patch<Workspace>(`/api/workspaces/${ws.id}`, { name }, { token: owner.token }));
  const renameAgent = async (p: ApiProcess, agent: Agent, name: string) =>
    ok(await p.api.patch<Agent>(`/api/agents/${agent.id}`, { name }, { token: owner.token }));

  it('share the Redis tier: what A loaded, B answers with no query, byte for byte', async () => {
    const f = factory(a.api);
    const ws = await f.workspace(owner);
    await f.agent(owner, ws.id, { settings: { tone: 'dry' } });
    for (const p of [a, b]) expect((await stats(p)).tiers).toEqual(['memory', 'redis']);
    const before = await counted(b, 'dashboard');

    for (const path of [
      `/api/workspaces/${ws.id}`,
      `/api/workspaces/${ws.id}/dashboard`,
      `/api/workspaces/${ws.id}/agents`,
      `/api/workspaces/${ws.id}/agents?view=lite`,
      `/api/quota/status?workspaceId=${ws.id}`,
    ]) {
      const onA = await get(a, path);
      ok(onA);
      expect(dbQueries(onA), path).toBeGreaterThan(0);
      // B has never read it: the access check and the value both come from Redis.
      const onB = await get(b, path);
      ok(onB);
      expect(dbQueries(onB), path).toBe(0);
      expect(onB.text, path).toBe(onA.text);
    }
    const after = await counted(b, 'dashboard');
    expect([after.hits - before.hits, after.misses - before.misses]).toEqual([1, 0]);
  });

  it('PATCH on one, GET on the other: the new name at once, 50 times, both directions', async () => {
    const ws = await factory(a.api).workspace(owner, 'Round 0');
    const path = `/api/workspaces/${ws.id}`;
    for (const p of [a, b]) ok(await get(p, path));
    const wrong: string[] = [];
    for (let i = 1; i <= 50; i++) {
      const [writer, reader] = i % 2 === 1 ? [a, b] : [b, a];
      // The reader holds a copy of the previous name in its own memory.
      const cached = await get<Workspace>(reader, path);
      if (ok(cached).name !== `Round ${i - 1}` || dbQueries(cached) !== 0) {
        wrong.push(`round ${i}: reader had ${cached.body.name} (${dbQueries(cached)} queries)`);
      }
      await rename(writer, ws, `Round ${i}`);
      const onReader = await get<Workspace>(reader, path);
      const onWriter = await get<Workspace>(writer, path);
      if (ok(onReader).name !== `Round ${i}`)
        wrong.push(`round ${i}: reader ${onReader.body.name}`);
      if (ok(onWriter).name !== `Round ${i}`)
        wrong.push(`round ${i}: writer ${onWriter.body.name}`);
      // The reader loaded the row again; the writer then found that value in Redis.
      if (dbQueries(onReader) !== 1 || dbQueries(onWriter) !== 0) {
        wrong.push(`round ${i}: ${dbQueries(onReader)}/${dbQueries(onWriter)} queries`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('one ETag for the same bytes on both; a write on one makes the tag stale on the other at once', async () => {
    const ws = await factory(a.api).workspace(owner, 'Tag 0');
    const path = `/api/workspaces/${ws.id}/dashboard`;
    ok(await get(a, path));
    const onA = await get(a, path);
    const tag = onA.headers.get('etag');
    expect(tag).toBe(etagOf(onA.text));
    const conditional = (p: ApiProcess, etag: string) =>
      p.api.get(path, { token: owner.token, headers: { 'if-none-match': etag } });
    for (const p of [a, b]) {
      const res = await conditional(p, tag!);
      expect(res.status, p.url).toBe(304);
      expect(dbQueries(res), p.url).toBe(0);
    }
    const stale: string[] = [];
    let current = tag!;
    for (let i = 1; i <= 10; i++) {
      const [writer, reader] = i % 2 === 1 ? [b, a] : [a, b];
      await rename(writer, ws, `Tag ${i}`);
      const res = await conditional(reader, current);
      if (res.status !== 200 || (res.body as Dashboard).workspace.name !== `Tag ${i}`) {
        stale.push(`round ${i}: ${res.status} ${res.text.slice(0, 80)}`);
      }
      current = res.headers.get('etag')!;
      const same = await conditional(writer, current);
      if (same.status !== 304) stale.push(`round ${i}: the writer answered ${same.status}`);
    }
    expect(stale).toEqual([]);
  });

  it('an agent PATCH on one shows at once in the dashboard and the agent list on the other, 20 times', async () => {
    const f = factory(b.api);
    const ws = await f.workspace(owner);
    const agent = await f.agent(owner, ws.id, { name: 'v0' });
    const dashboard = `/api/workspaces/${ws.id}/dashboard`;
    const list = `/api/workspaces/${ws.id}/agents`;
    const wrong: string[] = [];
    for (let i = 1; i <= 20; i++) {
      const [writer, reader] = i % 2 === 1 ? [a, b] : [b, a];
      for (const p of [a, b]) {
        ok(await get(p, dashboard));
        ok(await get(p, list));
      }
      await renameAgent(writer, agent, `v${i}`);
      for (const p of [reader, writer]) {
        const d = ok(await get<Dashboard>(p, dashboard));
        const l = ok(await get<Page<Agent>>(p, list));
        const names = [d.agents[0]?.name, l.items[0]?.name];
        if (names.some((n) => n !== `v${i}`))
          wrong.push(`round ${i}: ${p.url} saw ${names.join('/')}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('pub/sub drops the other process’s in-memory copy without waiting for a read', async () => {
    const ws = await factory(a.api).workspace(owner);
    const path = `/api/workspaces/${ws.id}`;
    ok(await get(b, path));
    ok(await get(b, `${path}/dashboard`));
    const sizes = async () => {
      const s = await stats(b);
      return [s.caches.workspace.size, s.caches.dashboard.size];
    };
    const [workspaces, dashboards] = await sizes();
    await rename(a, ws, 'Renamed on A');
    // B has made no request for it: its copies go when the message arrives.
    await waitFor(
      'B to drop its copies',
      async () => {
        const [w, d] = await sizes();
        return w === workspaces - 1 && d === dashboards - 1;
      },
      5_000,
    );
    expect(ok(await get<Workspace>(b, path)).name).toBe('Renamed on A');
  });

  it('a dashboard load on A that straddles an agent PATCH on B is not published', async () => {
    const f = factory(a.api);
    const ws = await f.workspace(owner);
    const agent = await f.agent(owner, ws.id, { name: 'Old name' });
    const path = `/api/workspaces/${ws.id}/dashboard`;
    for (const p of [a, b]) ok(await get(p, path)); // access checks cached on both
    await renameAgent(b, agent, 'Loaded name');
    const before = await counted(a, 'dashboard');

    // A's load reads the agents, then waits for `deliverables` until B's PATCH has answered.
    const lock = await lockTables(database.url, 'deliverables');
    let slow: Promise<ApiResponse<Dashboard>> | undefined;
    try {
      slow = get<Dashboard>(a, path);
      // Not the display queues' leases, which join `deliverables` every second.
      await waitFor(
        'A to wait on the lock',
        async () => (await lock.waiting({ except: 'display_jobs' })) === 2,
      );
      await renameAgent(b, agent, 'New name');
    } finally {
      await lock.release();
    }
    // The premise: that load read the agent before B's write.
    expect(ok(await slow).agents.map((x) => x.name)).toEqual(['Loaded name']);

    for (const p of [a, b, a, b]) {
      expect(
        ok(await get<Dashboard>(p, path)).agents.map((x) => x.name),
        p.url,
      ).toEqual(['New name']);
    }
    const after = await counted(a, 'dashboard');
    expect(after.staleDiscarded - before.staleDiscarded).toBe(1);
    // Neither A's memory nor Redis got the straddling value: A's next read was a miss.
    expect(after.misses - before.misses).toBe(2);
  });

  describe('with Redis stopped mid-test', () => {
    /** Redis outages so far: each process logs one `Redis is unreachable` per outage. */
    let outages = 0;
    const stopRedis = async () => {
      await redis.stop();
      outages += 1;
      await Promise.all([
        a.waitForOutput(/Redis is unreachable/, outages),
        b.waitForOutput(/Redis is unreachable/, outages),
      ]);
    };
    /** Each process logs `connected to` once at start and once more after each outage. */
    const reconnected = async () => {
      await Promise.all([
        a.waitForOutput(/Redis\W+connected to redis:/, 1 + outages, 20_000),
        b.waitForOutput(/Redis\W+connected to redis:/, 1 + outages, 20_000),
      ]);
    };

    it('keep answering from the database, and use the Redis tier again once it is back', async () => {
      const f = factory(a.api);
      const ws = await f.workspace(owner, 'Before the outage');
      await f.agent(owner, ws.id);
      const paths = [
        `/api/workspaces/${ws.id}`,
        `/api/workspaces/${ws.id}/dashboard`,
        `/api/workspaces/${ws.id}/agents`,
      ];
      for (const path of paths) {
        ok(await get(a, path));
        expect(dbQueries(await get(a, path)), path).toBe(0);
      }

      await stopRedis();
      const beforeA = await counted(a, 'workspace');
      const failures: string[] = [];
      for (let i = 0; i < 5; i++) {
        for (const p of [a, b]) {
          for (const path of paths) {
            const res = await get(p, path);
            // Reads bypass both tiers: every one of them queries the database.
            if (res.status !== 200 || dbQueries(res) === 0) {
              failures.push(`${p.url}${path}: ${res.status}, ${dbQueries(res)} queries`);
            }
          }
        }
      }
      expect(failures).toEqual([]);
      const duringA = await counted(a, 'workspace');
      expect([duringA.hits - beforeA.hits, duringA.misses - beforeA.misses]).toEqual([0, 5]);

      // Writes still succeed, and both processes read them from the database. (A writes: its own
      // copy goes with the write. A copy held by the other process is the next test's case.)
      await rename(a, ws, 'During the outage');
      for (const p of [a, b]) {
        expect(ok(await get<Workspace>(p, paths[0])).name).toBe('During the outage');
      }

      await redis.start();
      await reconnected();
      const first = await get<Workspace>(a, paths[0]);
      expect(ok(first).name).toBe('During the outage');
      expect(dbQueries(first)).toBeGreaterThan(0);
      const again = await get<Workspace>(a, paths[0]);
      expect(dbQueries(again)).toBe(0);
      // B finds A's fresh value in the restarted Redis: a workspace hit. (Its access check may
      // cost a query: A answered its own from memory, so it is not in the new Redis.)
      const beforeB = await counted(b, 'workspace');
      const onB = await get<Workspace>(b, paths[0]);
      expect(ok(onB).name).toBe('During the outage');
      expect(dbQueries(onB)).toBeLessThanOrEqual(1);
      const afterB = await counted(b, 'workspace');
      expect([afterB.hits - beforeB.hits, afterB.misses - beforeB.misses]).toEqual([1, 0]);
      expect(dbQueries(await get(b, paths[0]))).toBe(0);
      const afterA = await counted(a, 'workspace');
      // Since the outage reads: one more during it, then a miss and a hit once it was back.
      expect([afterA.hits - duringA.hits, afterA.misses - duringA.misses]).toEqual([1, 2]);
      expect(await redis.keys(`orch:cache:v:workspace:*${ws.id}`)).toHaveLength(1);
    });

    it('a write made while Redis is down is not hidden, once it is back, by a copy cached before', async () => {
      const ws = await factory(a.api).workspace(owner, 'Cached before the outage');
      const path = `/api/workspaces/${ws.id}`;
      // B keeps a copy in its memory (and Redis one) under the tag's current generation.
      ok(await get(b, path));
      expect(dbQueries(await get(b, path))).toBe(0);

      await stopRedis();
      // A's write cannot reach Redis: neither the generation bump nor the message.
      await rename(a, ws, 'Written during the outage');
      expect(ok(await get<Workspace>(b, path)).name).toBe('Written during the outage');

      // The restarted Redis is empty: every generation reads 0 again.
      await redis.start();
      await reconnected();
      for (const p of [a, b]) {
        const which = p === a ? 'A, the writer' : 'B, which held a copy';
        expect(ok(await get<Workspace>(p, path)).name, which).toBe('Written during the outage');
      }
    });
  });
});
