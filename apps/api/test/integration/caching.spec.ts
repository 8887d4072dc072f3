import {
  type Agent,
  type AgentLite,
  AgentStatus,
  type CacheCleanupResponse,
  type CacheStatsEntry,
  type CacheStatsResponse,
  type Dashboard,
  type DeliverableListResponse,
  type ErrorResponse,
  type Goal,
  GoalStatus,
  type Page,
  type QuotaCheck,
  type QuotaStatus,
  type UpdateAgentRequest,
  type UpdateWorkspaceRequest,
  type Workspace,
} from '@orch/contracts';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CacheService } from '../../src/infra/cache/cache.service.js';
import { QueryAccounting } from '../../src/infra/database/query-accounting.js';
import type { ApiClient, ApiResponse } from '../support/api-client.js';
import { factory, type TestUser, untilDisplayed } from '../support/factories.js';
import { type RedisServer, startRedisServer } from '../support/redis-server.js';
import { lockTables, waitFor } from '../support/locks.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { operatorToken } from '../support/operator.js';

/** The caches the modules declare (their <module>.cache.ts), as GET /api/performance/cache-stats lists them. */
const CACHE_NAMES = ['workspace', 'membership', 'dashboard', 'agents', 'quota'] as const;
type CacheName = (typeof CACHE_NAMES)[number];

/**
 * The two-tier cache (apps/api/src/infra/cache) through the real HTTP API, one process,
 * in-process tier only unless a block says otherwise: what repeated reads cost (X-DB-Queries),
 * what /api/performance/cache-stats reports, read-after-write for every cached read, the
 * generation guard and single flight (a table lock holds a load half-way), the LRU bound,
 * the TTLs on the service's replaceable clock, cleanup, and the baseline without the caches.
 * Across two processes sharing Redis: caching-multi-instance.spec.ts.
 */

type Counted = Pick<
  CacheStatsEntry,
  'hits' | 'misses' | 'evictions' | 'expirations' | 'staleDiscarded'
>;
type Deltas = Record<CacheName, Counted>;

function dbQueries(res: ApiResponse<unknown>): number {
  const header = res.headers.get('x-db-queries');
  expect(header, `X-DB-Queries of ${res.status} ${res.text.slice(0, 200)}`).toMatch(/^\d+$/);
  return Number(header);
}

function ok<T>(res: ApiResponse<T>, status = 200): T {
  expect(res.status, res.text.slice(0, 500)).toBe(status);
  return res.body;
}

/** Read as the operator: the cache figures span every tenant. */
async function cacheStats(api: ApiClient, _user: TestUser): Promise<CacheStatsResponse> {
  return ok(
    await api.get<CacheStatsResponse>('/api/performance/cache-stats', {
      token: await operatorToken(api),
    }),
  );
}

/** What each cache counted between two snapshots. */
function deltas(before: CacheStatsResponse, after: CacheStatsResponse): Deltas {
  const result = {} as Deltas;
  for (const name of CACHE_NAMES) {
    const a = before.caches[name];
    const b = after.caches[name];
    result[name] = {
      hits: b.hits - a.hits,
      misses: b.misses - a.misses,
      evictions: b.evictions - a.evictions,
      expirations: b.expirations - a.expirations,
      staleDiscarded: b.staleDiscarded - a.staleDiscarded,
    };
  }
  return result;
}

const nothing: Counted = { hits: 0, misses: 0, evictions: 0, expirations: 0, staleDiscarded: 0 };

/** Deltas with every cache at zero except the ones given. */
function only(changes: Partial<Record<CacheName, Partial<Counted>>>): Deltas {
  return Object.fromEntries(
    CACHE_NAMES.map((name) => [name, { ...nothing, ...changes[name] }]),
  ) as Deltas;
}

describe('the cache, in-process tier (no REDIS_URL)', () => {
  let t: TestApp;
  let f: ReturnType<typeof factory>;
  let owner: TestUser;

  beforeAll(async () => {
    t = await startTestApp();
    f = factory(t.api);
    owner = await f.user();
  });
  afterAll(async () => {
    await t?.close();
  });

  const get = <T>(path: string, user: TestUser = owner) =>
    t.api.get<T>(path, { token: user.token });
  const stats = () => cacheStats(t.api, owner);

  async function patchWorkspace(ws: Workspace, body: UpdateWorkspaceRequest): Promise<Workspace> {
    return ok(
      await t.api.patch<Workspace>(`/api/workspaces/${ws.id}`, body, { token: owner.token }),
    );
  }
  async function patchAgent(agent: Agent, body: UpdateAgentRequest): Promise<Agent> {
    return ok(await t.api.patch<Agent>(`/api/agents/${agent.id}`, body, { token: owner.token }));
  }

  it('serves repeated GET /api/workspaces/:id with no database query after the first', async () => {
    const ws = await f.workspace(owner);
    const answers = [];
    for (let i = 0; i < 10; i++) answers.push(await get<Workspace>(`/api/workspaces/${ws.id}`));
    // The first: the membership check and the workspace row; then nothing.
    expect(answers.map(dbQueries)).toEqual([2, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    for (const res of answers) {
      expect(res.status).toBe(200);
      expect(res.text).toBe(answers[0].text);
    }
    expect(answers[0].body).toEqual(ws);
    const timing = answers[9].headers.get('server-timing') ?? '';
    expect(timing).toMatch(/^db;dur=0\.00, app;dur=\d+\.\d{2}$/);
  });

  describe('read after write: the next GET returns the new value at once', () => {
    it('the workspace name, 20 PATCHes in a row', async () => {
      const ws = await f.workspace(owner, 'Name 0');
      ok(await get(`/api/workspaces/${ws.id}`));
      for (let i = 1; i <= 20; i++) {
        const cached = await get<Workspace>(`/api/workspaces/${ws.id}`);
        expect(cached.body.name).toBe(`Name ${i - 1}`);
        expect(dbQueries(cached)).toBe(0);
        await patchWorkspace(ws, { name: `Name ${i}` });
        const fresh = await get<Workspace>(`/api/workspaces/${ws.id}`);
        expect(ok(fresh).name).toBe(`Name ${i}`);
        // The membership check stayed cached; only the workspace row was read again.
        expect(dbQueries(fresh)).toBe(1);
      }
    });

    it('the description, and the workspace on the dashboard', async () => {
      const ws = await f.workspace(owner);
      ok(await get(`/api/workspaces/${ws.id}/dashboard`));
      expect(dbQueries(await get(`/api/workspaces/${ws.id}/dashboard`))).toBe(0);
      const updated = await patchWorkspace(ws, { name: 'Renamed', description: 'Now described' });
      const dashboard = ok(await get<Dashboard>(`/api/workspaces/${ws.id}/dashboard`));
      expect(dashboard.workspace).toEqual(updated);
      expect(ok(await get<Workspace>(`/api/workspaces/${ws.id}`))).toEqual(updated);
    });

    it('a deleted workspace is gone at once, from every cached read', async () => {
      const ws = await f.workspace(owner);
      const paths = [
        `/api/workspaces/${ws.id}`,
        `/api/workspaces/${ws.id}/dashboard`,
        `/api/workspaces/${ws.id}/agents`,
        `/api/quota/status?workspaceId=${ws.id}`,
      ];
      for (const path of paths) {
        ok(await get(path));
        expect(dbQueries(await get(path)), path).toBe(0);
      }
      ok(await t.api.delete(`/api/workspaces/${ws.id}`, { token: owner.token }), 204);
      for (const path of paths) {
        const res = await get<ErrorResponse>(path);
        expect(res.status, `${path}: ${res.text}`).toBe(404);
      }
    });

    it('the dashboard after each agent, deliverable, goal and thinking write', async () => {
      const ws = await f.workspace(owner);
      const path = `/api/workspaces/${ws.id}/dashboard`;
      /** Warm (the second read costs nothing), write, then read: the write must show. */
      async function afterWrite(write: () => Promise<unknown>): Promise<Dashboard> {
        ok(await get(path));
        expect(dbQueries(await get(path))).toBe(0);
        await write();
        const res = await get<Dashboard>(path);
        expect(dbQueries(res)).toBe(3);
        return ok(res);
      }

      let agent!: Agent;
      let d = await afterWrite(async () => {
        agent = await f.agent(owner, ws.id, { name: 'Scout' });
      });
      expect(d.agents.map((a) => a.name)).toEqual(['Scout']);
      expect(d.counts.agents).toBe(1);

      d = await afterWrite(() => patchAgent(agent, { name: 'Scout 2', status: AgentStatus.Busy }));
      expect(d.agents.map((a) => [a.name, a.status])).toEqual([['Scout 2', 'busy']]);
      expect(d.agentStatusCounts.busy).toBe(1);

      d = await afterWrite(() => patchAgent(agent, { settings: { temperature: '0.2' } }));
      expect(d.agents[0].settings).toEqual({ temperature: '0.2' });

      let deliverableId = '';
      d = await afterWrite(async () => {
        deliverableId = (await f.deliverable(owner, ws.id, { title: 'Report A' })).id;
      });
      expect(d.recentDeliverables.map((x) => x.title)).toEqual(['Report A']);
      expect(d.counts.deliverables).toBe(1);

      d = await afterWrite(async () =>
        ok(
          await t.api.patch(
            `/api/deliverables/${deliverableId}`,
            { title: 'Report A, revised' },
            { token: owner.token },
          ),
        ),
      );
      expect(d.recentDeliverables.map((x) => x.title)).toEqual(['Report A, revised']);

      let goal!: Goal;
      d = await afterWrite(async () => {
        goal = await f.goal(owner, ws.id, { title: 'Ship it' });
      });
      expect(d.goals.map((g) => g.title)).toEqual(['Ship it']);

      d = await afterWrite(async () =>
        ok(
          await t.api.patch<Goal>(
            `/api/goals/${goal.id}`,
            { status: GoalStatus.Paused },
            { token: owner.token },
          ),
        ),
      );
      expect(d.goals.map((g) => g.status)).toEqual(['paused']);

      d = await afterWrite(() => f.process(owner, ws.id, agent.id));
      expect(d.counts.thinkingProcesses).toBe(1);
    });

    it('the agent lists, full and lite, after an agent PATCH or a new agent', async () => {
      const ws = await f.workspace(owner);
      const agent = await f.agent(owner, ws.id, { name: 'Alpha' });
      const full = `/api/workspaces/${ws.id}/agents?limit=10`;
      const lite = `/api/workspaces/${ws.id}/agents?view=lite&limit=10`;
      for (let i = 1; i <= 10; i++) {
        for (const path of [full, lite]) {
          ok(await get(path));
          expect(dbQueries(await get(path)), path).toBe(0);
        }
        await patchAgent(agent, { name: `Alpha ${i}` });
        const fullPage = ok(await get<Page<Agent>>(full));
        const litePage = ok(await get<Page<AgentLite>>(lite));
        expect(fullPage.items.map((a) => a.name)).toEqual([`Alpha ${i}`]);
        expect(litePage.items.map((a) => a.name)).toEqual([`Alpha ${i}`]);
      }
      await f.agent(owner, ws.id, { name: 'Beta' });
      expect(ok(await get<Page<AgentLite>>(lite)).items.map((a) => a.name)).toEqual([
        'Beta',
        'Alpha 10',
      ]);
    });

    it('the quota status and check after an AI call', async () => {
      const ws = await f.workspace(owner);
      const status = `/api/quota/status?workspaceId=${ws.id}`;
      const check = `/api/quota/check?workspaceId=${ws.id}`;
      expect(ok(await get<QuotaStatus>(status)).used).toBe(0);
      expect(dbQueries(await get(status))).toBe(0);
      expect(ok(await get<QuotaCheck>(check)).used).toBe(0);

      // A new deliverable is transformed by the display queue: one AI call taken from the quota.
      const d = await f.deliverable(owner, ws.id);
      await untilDisplayed(t.api, owner, d.id);
      const list = ok(await get<DeliverableListResponse>(`/api/workspaces/${ws.id}/deliverables`));
      expect(list.displayCache).toMatchObject({ cached: 1, pending: 0 });

      const after = await get<QuotaStatus>(status);
      expect(ok(after).used).toBe(1);
      expect(dbQueries(after)).toBe(1);
      expect(ok(await get<QuotaCheck>(check)).used).toBe(1);
    });

    it('access: a refused non-member (cached) is let in as soon as they are added', async () => {
      const ws = await f.workspace(owner);
      const outsider = await f.user();
      const path = `/api/workspaces/${ws.id}`;
      expect((await get<ErrorResponse>(path, outsider)).status).toBe(404);
      const again = await get<ErrorResponse>(path, outsider);
      expect(again.status).toBe(404);
      expect(dbQueries(again)).toBe(0);

      const added = await t.api.post(
        `/api/workspaces/${ws.id}/members`,
        { email: outsider.email },
        { token: owner.token },
      );
      ok(added, 201);
      expect(ok(await get<Workspace>(path, outsider)).id).toBe(ws.id);
      // As a member, not the owner: the cached role is the new one.
      const patch = await t.api.patch<ErrorResponse>(
        path,
        { name: 'x' },
        { token: outsider.token },
      );
      expect(patch.status, patch.text).toBe(403);
    });
  });

  describe('a load that straddles a write (the generation guard)', () => {
    /**
     * A dashboard load whose agents query has read the agent before the PATCH and whose
     * other two queries wait on a lock of `deliverables` until after the PATCH was acknowledged.
     */
    async function straddle(ws: Workspace, agent: Agent, newName: string) {
      const path = `/api/workspaces/${ws.id}/dashboard`;
      const lock = await lockTables(t.database.url, 'deliverables');
      try {
        const slow = get<Dashboard>(path);
        await waitFor(
          'the dashboard load to wait on the lock',
          // Not the display queue's lease, which joins `deliverables` every second.
          async () => (await lock.waiting({ except: 'display_jobs' })) === 2,
        );
        await patchAgent(agent, { name: newName });
        return { slow, lock, path };
      } catch (error) {
        await lock.release();
        throw error;
      }
    }

    it('is answered to its caller but not stored: the next GET loads the new value', async () => {
      const ws = await f.workspace(owner);
      const agent = await f.agent(owner, ws.id, { name: 'Old name' });
      ok(await get(`/api/workspaces/${ws.id}/dashboard`)); // membership cached
      await patchAgent(agent, { name: 'Loaded name' }); // the cached dashboard is dropped

      const before = await stats();
      const { slow, lock, path } = await straddle(ws, agent, 'New name');
      await lock.release();
      const straddled = ok(await slow);
      // The premise: this load read the agent before the PATCH.
      expect(straddled.agents.map((a) => a.name)).toEqual(['Loaded name']);

      const next = await get<Dashboard>(path);
      expect(ok(next).agents.map((a) => a.name)).toEqual(['New name']);
      expect(dbQueries(next)).toBe(3);
      const cached = await get<Dashboard>(path);
      expect(ok(cached).agents.map((a) => a.name)).toEqual(['New name']);
      expect(dbQueries(cached)).toBe(0);
      expect(deltas(before, await stats())).toEqual(
        only({
          membership: { hits: 3 },
          dashboard: { hits: 1, misses: 2, staleDiscarded: 1 },
        }),
      );
    });

    it('is not joined by a GET that starts after the write was acknowledged', async () => {
      const ws = await f.workspace(owner);
      const agent = await f.agent(owner, ws.id, { name: 'Old name' });
      ok(await get(`/api/workspaces/${ws.id}/dashboard`));
      await patchAgent(agent, { name: 'Loaded name' });

      const before = await stats();
      const { slow, lock, path } = await straddle(ws, agent, 'New name');
      let later: Promise<ApiResponse<Dashboard>> | undefined;
      try {
        // The PATCH has answered 200: a GET sent now must not answer with the old agent.
        later = get<Dashboard>(path);
        await waitFor('the second GET to reach the dashboard cache', async () => {
          const d = deltas(before, await stats()).dashboard;
          return d.hits + d.misses === 2;
        });
      } finally {
        await lock.release();
      }
      expect(ok(await slow).agents.map((a) => a.name)).toEqual(['Loaded name']);
      expect(ok(await later).agents.map((a) => a.name)).toEqual(['New name']);
    });
  });

  it('runs the loader once for 50 concurrent misses on one key', async () => {
    const ws = await f.workspace(owner);
    const path = `/api/workspaces/${ws.id}`;
    ok(await get(`/api/quota/status?workspaceId=${ws.id}`)); // the membership check is cached
    const before = await stats();
    const accounting = t.app.get(QueryAccounting);
    let responses: ApiResponse<Workspace>[] = [];
    const lock = await lockTables(t.database.url, 'workspaces');
    const recorded = await accounting.record(async () => {
      let all: Promise<ApiResponse<Workspace>[]> | undefined;
      try {
        all = Promise.all(Array.from({ length: 50 }, () => get<Workspace>(path)));
        // Every request has reached the cache while the one load waits on the lock.
        await waitFor('50 lookups', async () => {
          const d = deltas(before, await stats()).workspace;
          return d.hits + d.misses === 50;
        });
        expect(await lock.waiting()).toBe(1);
      } finally {
        await lock.release();
      }
      responses = await all;
    });

    expect(responses.map((r) => r.status)).toEqual(Array.from({ length: 50 }, () => 200));
    expect(new Set(responses.map((r) => r.text)).size).toBe(1);
    expect(responses[0].body).toEqual(ws);
    expect(responses.reduce((sum, r) => sum + dbQueries(r), 0)).toBe(1);
    expect(recorded.filter((s) => /FROM "workspaces"/.test(s.sql))).toHaveLength(1);
    expect(deltas(before, await stats())).toEqual(
      only({ workspace: { hits: 49, misses: 1 }, membership: { hits: 50 } }),
    );
  });
});

describe('cache-stats for a scripted sequence of requests (fresh app)', () => {
  let t: TestApp;
  let owner: TestUser;

  beforeAll(async () => {
    t = await startTestApp();
    owner = await factory(t.api).user();
  });
  afterAll(async () => {
    await t?.close();
  });

  it('reports exactly the hits, misses and hit rate of the requests made', async () => {
    const ws = await factory(t.api).workspace(owner);
    const s0 = await cacheStats(t.api, owner);
    expect(s0.tiers).toEqual(['memory']);
    for (const name of CACHE_NAMES) {
      expect(s0.caches[name]).toMatchObject({ enabled: true, hits: 0, misses: 0, size: 0 });
    }

    const w = `/api/workspaces/${ws.id}`;
    // [path, X-DB-Queries of each repetition]
    const script: [string, number[]][] = [
      [w, [2, 0, 0]], // membership + workspace, then hits
      [`${w}/dashboard`, [3, 0]], // 3 dashboard queries
      [`${w}/agents`, [1, 0]], // the page (no agents: no settings query)
      [`${w}/agents?view=lite`, [1]], // another key of the agents cache
      [`/api/quota/status?workspaceId=${ws.id}`, [1, 0]],
    ];
    const seen: number[][] = [];
    for (const [path, expected] of script) {
      const counts: number[] = [];
      for (let i = 0; i < expected.length; i++) {
        const res = await t.api.get(path, { token: owner.token });
        ok(res);
        counts.push(dbQueries(res));
      }
      seen.push(counts);
    }
    expect(seen).toEqual(script.map(([, expected]) => expected));

    ok(await t.api.patch(w, { name: 'Renamed' }, { token: owner.token }));
    const afterWrite = [
      await t.api.get(w, { token: owner.token }),
      await t.api.get(w, { token: owner.token }),
    ];
    const dashboard = await t.api.get(`${w}/dashboard`, { token: owner.token });
    expect([...afterWrite, dashboard].map(dbQueries)).toEqual([1, 0, 3]);

    const s = await cacheStats(t.api, owner);
    const expected: Record<CacheName, Partial<CacheStatsEntry>> = {
      // 3 + 2 reads; the PATCH dropped the entry
      workspace: { hits: 3, misses: 2, hitRate: 0.6, size: 1 },
      // every workspace-scoped request: 3+2+2+1+2 + the PATCH + 3 = 14, one miss
      membership: { hits: 13, misses: 1, hitRate: 0.9286, size: 1 },
      // 2 reads, then 1 after the PATCH
      dashboard: { hits: 1, misses: 2, hitRate: 0.3333, size: 1 },
      // full x2 and lite x1: two keys
      agents: { hits: 1, misses: 2, hitRate: 0.3333, size: 2 },
      quota: { hits: 1, misses: 1, hitRate: 0.5, size: 1 },
    };
    for (const name of CACHE_NAMES) {
      expect(s.caches[name], name).toMatchObject({
        ...expected[name],
        enabled: true,
        evictions: 0,
        expirations: 0,
        // Dropped by the invalidation itself, not found stale on a read.
        staleDiscarded: 0,
      });
      const { hits, misses, hitRate } = s.caches[name];
      expect(hitRate, name).toBe(Math.round((hits / (hits + misses)) * 10_000) / 10_000);
    }
  });
});

describe('the LRU bound, the TTLs and cleanup (fresh app, clock moved by the test)', () => {
  let t: TestApp;
  let f: ReturnType<typeof factory>;
  let owner: TestUser;
  let cache: CacheService;
  /** The cache's clock: frozen, moved only by the tests. */
  let clock = Date.now();

  beforeAll(async () => {
    t = await startTestApp();
    f = factory(t.api);
    owner = await f.user();
    cache = t.app.get(CacheService);
    cache.now = () => clock;
  });
  afterEach(() => {
    // Entries stored under an advanced clock are far in its future: start each test clean.
    clock += 3_600_000;
  });
  afterAll(async () => {
    await t?.close();
  });

  const get = <T>(path: string) => t.api.get<T>(path, { token: owner.token });
  const stats = () => cacheStats(t.api, owner);

  it('keeps 100 workspaces (CACHE_WORKSPACE_MAX): the 101st evicts the least recently used', async () => {
    const workspaces: Workspace[] = [];
    for (let i = 0; i < 101; i++) workspaces.push(await f.workspace(owner, `LRU ${i}`));
    const path = (i: number) => `/api/workspaces/${workspaces[i].id}`;
    const before = await stats();
    expect(before.caches.workspace).toMatchObject({ maxEntries: 100, size: 0, evictions: 0 });

    for (let i = 0; i < 100; i++) expect(dbQueries(await get(path(i)))).toBe(2);
    expect((await stats()).caches.workspace).toMatchObject({ size: 100, evictions: 0 });
    // A hit is a use: workspace 0 becomes the most recently used, workspace 1 the least.
    expect(dbQueries(await get(path(0)))).toBe(0);

    expect(dbQueries(await get(path(100)))).toBe(2);
    let s = await stats();
    expect(s.caches.workspace).toMatchObject({ size: 100, evictions: 1 });
    // The membership cache (1,000) kept all 101.
    expect(s.caches.membership).toMatchObject({ size: 101, evictions: 0 });

    // Workspace 1 was evicted: one query again (its row; the access check is still cached).
    const evicted = await get<Workspace>(path(1));
    expect(ok(evicted).name).toBe('LRU 1');
    expect(dbQueries(evicted)).toBe(1);
    s = await stats();
    // Reading it back pushed out the next least recently used one (workspace 2).
    expect(s.caches.workspace).toMatchObject({ size: 100, evictions: 2 });
    for (const i of [0, 100, 1, 3]) expect(dbQueries(await get(path(i))), `ws ${i}`).toBe(0);
    expect(dbQueries(await get(path(2)))).toBe(1);
    expect(deltas(before, await stats()).workspace).toEqual({
      ...nothing,
      hits: 5,
      misses: 103,
      evictions: 3,
    });
  });

  it('expires each cache after its TTL on the service clock (workspace 5 min, quota 10 s)', async () => {
    const ws = await f.workspace(owner);
    const w = `/api/workspaces/${ws.id}`;
    const q = `/api/quota/status?workspaceId=${ws.id}`;
    expect(dbQueries(await get(w))).toBe(2);
    expect(dbQueries(await get(q))).toBe(1);
    const before = await stats();

    clock += 9_999;
    expect([dbQueries(await get(w)), dbQueries(await get(q))]).toEqual([0, 0]);
    clock += 1;
    expect([dbQueries(await get(w)), dbQueries(await get(q))]).toEqual([0, 1]);

    clock += 300_000 - 10_000 - 1; // 1 ms before the workspace and membership entries expire
    expect(dbQueries(await get(w))).toBe(0);
    clock += 1;
    expect(dbQueries(await get(w))).toBe(2);
    expect(dbQueries(await get(w))).toBe(0);
    expect(deltas(before, await stats())).toEqual(
      only({
        workspace: { hits: 4, misses: 1, expirations: 1 },
        // hits do not extend a TTL: the access check expired with the workspace entry
        membership: { hits: 6, misses: 1, expirations: 1 },
        quota: { hits: 1, misses: 1, expirations: 1 },
      }),
    );
  });

  it('POST /api/performance/cache/cleanup drops the expired entries and says how many', async () => {
    const cleanup = async () =>
      ok(
        await t.api.post<CacheCleanupResponse>('/api/performance/cache/cleanup', undefined, {
          token: await operatorToken(t.api),
        }),
      );
    const sizes = (s: CacheStatsResponse) =>
      Object.fromEntries(CACHE_NAMES.map((name) => [name, s.caches[name].size]));
    const zero = { workspace: 0, membership: 0, dashboard: 0, agents: 0, quota: 0 };

    // What the tests before left is an hour old on this clock: all of it is expired.
    const left = await stats();
    const leftover = await cleanup();
    expect(leftover.removed).toEqual(sizes(left));
    expect(leftover.total).toBe(CACHE_NAMES.reduce((sum, name) => sum + left.caches[name].size, 0));
    expect(sizes(await stats())).toEqual(zero);

    const ws = await f.workspace(owner);
    await f.agent(owner, ws.id);
    const reads = [
      `/api/workspaces/${ws.id}`,
      `/api/workspaces/${ws.id}/dashboard`,
      `/api/workspaces/${ws.id}/agents`,
      `/api/workspaces/${ws.id}/agents?view=lite`,
      `/api/quota/status?workspaceId=${ws.id}`,
    ];
    for (const path of reads) ok(await get(path));
    const full = await stats();
    expect(sizes(full)).toEqual({ workspace: 1, membership: 1, dashboard: 1, agents: 2, quota: 1 });
    // Nothing has expired yet.
    expect(await cleanup()).toEqual({ removed: zero, total: 0 });

    // Past the 60 s of the dashboard and agents caches (and the 10 s of quota).
    clock += 60_000;
    expect(await cleanup()).toEqual({
      removed: { ...zero, dashboard: 1, agents: 2, quota: 1 },
      total: 4,
    });
    const after = await stats();
    expect(sizes(after)).toEqual({ ...zero, workspace: 1, membership: 1 });
    expect(deltas(full, after)).toEqual(
      only({
        dashboard: { expirations: 1 },
        agents: { expirations: 2 },
        quota: { expirations: 1 },
      }),
    );
    // What is left is still served from the cache.
    expect(dbQueries(await get(reads[0]))).toBe(0);

    // Past the 5 min of the workspace and membership caches.
    clock += 240_000;
    expect(await cleanup()).toEqual({
      removed: { ...zero, workspace: 1, membership: 1 },
      total: 2,
    });
    expect(sizes(await stats())).toEqual(zero);
    expect(await cleanup()).toEqual({ removed: zero, total: 0 });
  });
});

describe('baseline: OPTIMIZATIONS=batching,display-cache (no workspace-cache, no response-cache)', () => {
  let t: TestApp;
  let owner: TestUser;

  beforeAll(async () => {
    t = await startTestApp({ env: { OPTIMIZATIONS: 'batching,display-cache' } });
    owner = await factory(t.api).user();
  });
  afterAll(async () => {
    await t?.close();
  });

  it('sends every read to the database: X-DB-Queries is never 0', async () => {
    const f = factory(t.api);
    const ws = await f.workspace(owner);
    await f.agent(owner, ws.id);
    const reads: [string, number][] = [
      [`/api/workspaces/${ws.id}`, 2],
      [`/api/workspaces/${ws.id}/dashboard`, 4],
      [`/api/workspaces/${ws.id}/agents`, 3],
      [`/api/workspaces/${ws.id}/agents?view=lite`, 2],
      [`/api/quota/status?workspaceId=${ws.id}`, 2],
    ];
    for (const [path, queries] of reads) {
      const counts = [];
      for (let i = 0; i < 5; i++) {
        const res = await t.api.get(path, { token: owner.token });
        ok(res);
        counts.push(dbQueries(res));
      }
      expect(counts, path).toEqual([queries, queries, queries, queries, queries]);
    }
    const s = await cacheStats(t.api, owner);
    for (const name of CACHE_NAMES) {
      expect(s.caches[name], name).toMatchObject({
        enabled: false,
        hits: 0,
        misses: 0,
        hitRate: 0,
        size: 0,
      });
    }
  });
});

describe('with a Redis tier (REDIS_URL), in-process, every TTL 1 s', () => {
  let redis: RedisServer;
  let t: TestApp;
  let owner: TestUser;

  beforeAll(async () => {
    redis = await startRedisServer();
    t = await startTestApp({
      env: {
        REDIS_URL: redis.url,
        CACHE_WORKSPACE_TTL_MS: '1000',
        CACHE_MEMBERSHIP_TTL_MS: '1000',
        CACHE_DASHBOARD_TTL_MS: '1000',
        CACHE_AGENTS_TTL_MS: '1000',
        CACHE_QUOTA_TTL_MS: '1000',
      },
    });
    owner = await factory(t.api).user();
  });
  afterAll(async () => {
    await t?.close();
    await redis?.close();
  });

  it('reports both tiers and stores values in Redis with the cache TTL', async () => {
    const ws = await factory(t.api).workspace(owner);
    ok(await t.api.get(`/api/workspaces/${ws.id}`, { token: owner.token }));
    // Before anything slower (the stats need an operator's login): the value lives 1 s.
    const keys = await redis.keys(`orch:cache:v:workspace:*${ws.id}`);
    expect(keys).toHaveLength(1);
    const ttl = Number(await redis.command('PTTL', keys[0]));
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(1000);
    expect((await cacheStats(t.api, owner)).tiers).toEqual(['memory', 'redis']);
  });

  it('keeps tag keys without a TTL: a value stored under an old generation never matches again', async () => {
    // A tag's generation lives in a Redis key that never expires: an expired one would restart
    // at 0, and the next writes would count up to a generation an old value was stored under.
    const ws = await factory(t.api).workspace(owner, 'Name 0');
    const w = `/api/workspaces/${ws.id}`;
    const tagKey = `orch:cache:tag:ws:${ws.id}`;
    const pttl = async (key: string) => Number(await redis.command('PTTL', key));

    ok(await t.api.patch(w, { name: 'Name 1' }, { token: owner.token })); // generation 1
    expect(await redis.command('GET', tagKey)).toBe('1');
    expect(await pttl(tagKey)).toBe(-1); // -1: the key exists and has no TTL
    expect(ok(await t.api.get<Workspace>(w, { token: owner.token })).name).toBe('Name 1');
    const [valueKey] = await redis.keys(`orch:cache:v:workspace:*${ws.id}`);
    expect(valueKey).toBeDefined();
    const valueTtl = await pttl(valueKey);
    expect(valueTtl).toBeGreaterThan(0);
    expect(valueTtl).toBeLessThanOrEqual(1000);

    // The value (1 s TTL) expires; the tag key outlives it, generation unchanged.
    const exists = async (key: string) => (await redis.command('EXISTS', key)) === 1;
    await waitFor(
      'the value stored under generation 1 to expire',
      async () => !(await exists(valueKey)),
    );
    expect(await pttl(tagKey)).toBe(-1);
    expect(await redis.command('GET', tagKey)).toBe('1');

    // Store a value under generation 1 again, then write: the generation moves on to 2 and
    // the value stored under 1 is not served, from either tier.
    expect(ok(await t.api.get<Workspace>(w, { token: owner.token })).name).toBe('Name 1');
    ok(await t.api.patch(w, { name: 'Name 2' }, { token: owner.token }));
    expect(await redis.command('GET', tagKey)).toBe('2');
    expect(await pttl(tagKey)).toBe(-1);
    expect(ok(await t.api.get<Workspace>(w, { token: owner.token })).name).toBe('Name 2');
  });
});
