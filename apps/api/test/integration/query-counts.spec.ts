import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import {
  type Agent,
  type AgentLite,
  type Dashboard,
  type ErrorResponse,
  type Page,
  THINKING_PROCESSES_MAX,
  type ThinkingProcessWithSteps,
} from '@orch/contracts';
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/bootstrap.js';
import { AppConfig } from '../../src/infra/config/app-config.js';
import { QueryAccounting } from '../../src/infra/database/query-accounting.js';
import { seedScale } from '../../src/seed/seed.js';
import { ApiClient, type ApiResponse } from '../support/api-client.js';
import { factory, type TestUser } from '../support/factories.js';
import { startTestApp, TEST_JWT_SECRET, type TestApp } from '../support/test-app.js';

/**
 * Round trips per request, read from the X-DB-Queries header, in both modes:
 * optimized (OPTIMIZATIONS=batching,display-cache) and the naive baseline (OPTIMIZATIONS=none),
 * two apps on the same database, so their answers must be byte-identical.
 */

type Mode = 'optimized' | 'baseline';

interface App {
  app: NestFastifyApplication;
  api: ApiClient;
  close(): Promise<void>;
}

/**
 * A second app (same createApp as `npm start`) on the database of an app already running,
 * configured like startTestApp's.
 */
async function startOnSameDatabase(first: TestApp, env: Record<string, string>): Promise<App> {
  const config = AppConfig.from({
    NODE_ENV: 'test',
    LOG_LEVEL: 'error',
    JWT_SECRET: TEST_JWT_SECRET,
    DEMO_SEED: 'false',
    WEB_DIST_DIR: '/nonexistent',
    DB_POOL_MAX: '5',
    AI_LOCAL_COST_MS: '0',
    RATE_LIMIT_MULTIPLIER: '1000',
    // As startTestApp: no background goal checks changing rows between the compared reads.
    GOAL_MONITOR_ENABLED: 'false',
    ...env,
  });
  const app = await createApp(config, first.database.url);
  await app.listen(0, '127.0.0.1');
  const address = app.getHttpServer().address();
  if (!address || typeof address === 'string') throw new Error('no port');
  return {
    app,
    api: new ApiClient(`http://127.0.0.1:${address.port}`),
    close: () => app.close(),
  };
}

function dbQueries(res: ApiResponse<unknown>): number {
  const header = res.headers.get('x-db-queries');
  expect(header, `X-DB-Queries of ${res.text.slice(0, 200)}`).toMatch(/^\d+$/);
  return Number(header);
}

async function waitFor(check: () => Promise<boolean>, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

const SERVER_TIMING = /^db;dur=(\d+\.\d{2}), app;dur=(\d+\.\d{2})$/;

/** The children per workspace: processes and agents. */
const SIZES = [1, 10, 100] as const;
type Size = (typeof SIZES)[number];

const SETTINGS_PER_AGENT = 3;
const STEPS_SEEDED = 7;
const STEPS_SHOWN = 5;

/** The thinking list pages at most THINKING_PROCESSES_MAX (50) processes at a time. */
const processesShown = (n: number) => Math.min(n, THINKING_PROCESSES_MAX);

/**
 * The expected round trips. The access check (a workspace_members lookup) is 1 in every row.
 * Optimized: thinking = access + processes page + one LATERAL query for every process's steps;
 * agents = access + page + one IN-list for all settings; lite = access + page;
 * dashboard = access + 3 parallel queries.
 * Baseline: thinking = access + processes page + one steps query per process (+1 COUNT turning
 * a cursor into an OFFSET); agents = access + page + one settings query per agent (+1 COUNT with
 * a cursor); lite = access + page (+1 COUNT); dashboard = access + workspace + agents + one
 * settings query per agent + status counts + recent deliverables + goals + 4 counts.
 */
const EXPECTED = {
  thinking: { optimized: () => 3, baseline: (rows: number, cursor: boolean) => 2 + rows + +cursor },
  agents: { optimized: () => 3, baseline: (rows: number, cursor: boolean) => 2 + rows + +cursor },
  lite: { optimized: () => 2, baseline: (_rows: number, cursor: boolean) => 2 + +cursor },
  dashboard: { optimized: () => 4, baseline: (agents: number) => 10 + agents },
} satisfies Record<
  string,
  { optimized: () => number; baseline: (rows: number, cursor: boolean) => number }
>;
type Endpoint = keyof typeof EXPECTED;

function expected(endpoint: Endpoint, mode: Mode, rows: number, cursor = false): number {
  return mode === 'optimized'
    ? EXPECTED[endpoint].optimized()
    : EXPECTED[endpoint].baseline(rows, cursor);
}

describe('query counts per request', () => {
  let t: TestApp;
  let baseline: App;
  let owner: TestUser;
  /** Workspace id by size. */
  const workspaces = new Map<Size, string>();
  /** Measured X-DB-Queries per endpoint, size and mode: printed at the end. */
  const measured: string[] = [];

  const apiOf = (mode: Mode) => (mode === 'optimized' ? t.api : baseline.api);
  const ws = (n: Size) => workspaces.get(n)!;
  const paths = {
    thinking: (n: Size, cursor?: string) =>
      `/api/workspaces/${ws(n)}/thinking?processes=${processesShown(n)}&stepsPerProcess=${STEPS_SHOWN}` +
      (cursor ? `&cursor=${cursor}` : ''),
    agents: (n: Size, cursor?: string, limit: number = n) =>
      `/api/workspaces/${ws(n)}/agents?limit=${limit}` + (cursor ? `&cursor=${cursor}` : ''),
    lite: (n: Size, cursor?: string, limit: number = n) =>
      `/api/workspaces/${ws(n)}/agents?view=lite&limit=${limit}` +
      (cursor ? `&cursor=${cursor}` : ''),
    dashboard: (n: Size) => `/api/workspaces/${ws(n)}/dashboard`,
  };

  /** GETs `path` in both modes: 200 each, byte-identical bodies; returns both responses. */
  async function both<T>(path: string): Promise<Record<Mode, ApiResponse<T>>> {
    const optimized = await t.api.get<T>(path, { token: owner.token });
    const naive = await baseline.api.get<T>(path, { token: owner.token });
    expect(optimized.status, optimized.text).toBe(200);
    expect(naive.status, naive.text).toBe(200);
    expect(naive.text, `${path}: baseline and optimized bodies differ`).toBe(optimized.text);
    return { optimized, baseline: naive };
  }

  beforeAll(async () => {
    // Batching measured on its own: the caches (workspace-cache, response-cache) would
    // answer repeated reads with 0 queries; caching.spec.ts counts those.
    t = await startTestApp({ env: { OPTIMIZATIONS: 'batching,display-cache', DB_POOL_MAX: '5' } });
    baseline = await startOnSameDatabase(t, { OPTIMIZATIONS: 'none', DB_POOL_MAX: '5' });
    owner = await factory(t.api).user();
    for (const n of SIZES) {
      const report = await seedScale(
        t.db,
        owner.userId,
        {
          workspaces: 1,
          agentsPerWorkspace: n,
          settingsPerAgent: SETTINGS_PER_AGENT,
          deliverablesPerWorkspace: 12,
          processesPerWorkspace: n,
          stepsPerProcess: STEPS_SEEDED,
          goalsPerWorkspace: 3,
        },
        n,
      );
      workspaces.set(n, report.workspaceIds[0]);
    }
  });
  afterAll(async () => {
    if (measured.length > 0) console.log(`[query counts]\n${measured.join('\n')}`);
    await baseline?.close();
    await t?.close();
  });

  it('runs the two apps with batching on and off', async () => {
    for (const [api, enabled] of [
      [t.api, true],
      [baseline.api, false],
    ] as const) {
      const res = await api.get<{ optimizations: { name: string; enabled: boolean }[] }>(
        '/api/performance/optimizations',
        { token: owner.token },
      );
      expect(res.status).toBe(200);
      expect(res.body.optimizations).toContainEqual(
        expect.objectContaining({ name: 'batching', enabled }),
      );
    }
  });

  describe('headers', () => {
    it('puts X-DB-Queries and Server-Timing on every /api response, errors included', async () => {
      const requests: [string, () => Promise<ApiResponse<unknown>>, number, number][] = [
        ['health', () => t.api.get('/api/health'), 200, 1],
        ['no token', () => t.api.get('/api/auth/me'), 401, 0],
        ['unknown route', () => t.api.get('/api/no-such-route', { token: owner.token }), 404, 0],
        [
          'not a member',
          () => t.api.get(`/api/workspaces/${randomUUID()}/agents`, { token: owner.token }),
          404,
          1,
        ],
        [
          'bad query',
          () => t.api.get(`${paths.agents(10)}&view=fat`, { token: owner.token }),
          400,
          1,
        ],
        ['a list', () => t.api.get(paths.agents(10), { token: owner.token }), 200, 3],
        ['the dashboard', () => t.api.get(paths.dashboard(100), { token: owner.token }), 200, 4],
        [
          'a baseline list',
          () => baseline.api.get(paths.agents(10), { token: owner.token }),
          200,
          12,
        ],
      ];
      for (const [what, send, status, queries] of requests) {
        const res = await send();
        expect(res.status, `${what}: ${res.text}`).toBe(status);
        expect(dbQueries(res), what).toBe(queries);
        const timing = res.headers.get('server-timing');
        expect(timing, what).toMatch(SERVER_TIMING);
        const [, db, app] = SERVER_TIMING.exec(timing ?? '') ?? [];
        expect(Number(db), `${what}: db time within app time (${timing})`).toBeLessThanOrEqual(
          Number(app),
        );
        expect(Number(app), what).toBeGreaterThan(0);
        if (queries === 0) expect(Number(db), what).toBe(0);
        else expect(Number(db), what).toBeGreaterThan(0);
      }
    });
  });

  describe('Server-Timing under parallel queries', () => {
    it('counts db time once when the dashboard runs its three queries in parallel', async () => {
      // Hold the dashboard's tables so that all three of its parallel queries wait ~400 ms
      // together: the request spends ~400 ms in the database, not 3 x 400 ms.
      const locker = new Client({ connectionString: t.database.url });
      await locker.connect();
      try {
        await locker.query('BEGIN');
        await locker.query('LOCK TABLE agents, deliverables IN ACCESS EXCLUSIVE MODE');
        const pending = t.api.get<Dashboard>(paths.dashboard(10), { token: owner.token });
        await waitFor(async () => {
          // Inside a transaction the activity view is a snapshot: refresh it on every look.
          await locker.query('SELECT pg_stat_clear_snapshot()');
          const rows = await locker.query<{ n: number }>(
            `SELECT count(*)::int AS n FROM pg_stat_activity
              WHERE datname = current_database() AND wait_event_type = 'Lock'`,
          );
          return rows.rows[0].n === 3;
        });
        await new Promise((resolve) => setTimeout(resolve, 400));
        await locker.query('COMMIT');
        const res = await pending;
        expect(res.status, res.text).toBe(200);
        expect(dbQueries(res)).toBe(4);
        const timing = res.headers.get('server-timing') ?? '';
        expect(timing).toMatch(SERVER_TIMING);
        const [, db, app] = SERVER_TIMING.exec(timing) ?? [];
        expect(Number(app)).toBeGreaterThanOrEqual(400);
        expect(Number(db), timing).toBeLessThanOrEqual(Number(app));
      } finally {
        await locker.end();
      }
    });
  });

  describe.each(SIZES)('%i children', (n) => {
    it('thinking: 3 queries optimized, 2 + N baseline, the same bytes', async () => {
      const shown = processesShown(n);
      const res = await both<Page<ThinkingProcessWithSteps>>(paths.thinking(n));
      expect(res.optimized.body.items).toHaveLength(shown);
      for (const p of res.optimized.body.items) expect(p.steps).toHaveLength(STEPS_SHOWN);
      expect(res.optimized.body.nextCursor === null).toBe(shown === n);
      for (const mode of ['optimized', 'baseline'] as const) {
        const count = dbQueries(res[mode]);
        measured.push(`thinking processes=${shown} (${n} in ws) ${mode}: ${count}`);
        expect(count, mode).toBe(expected('thinking', mode, shown));
      }
    });

    it('agents with settings: 3 queries optimized, 2 + N baseline, the same bytes', async () => {
      const res = await both<Page<Agent>>(paths.agents(n));
      expect(res.optimized.body.items).toHaveLength(n);
      expect(res.optimized.body.nextCursor).toBeNull();
      for (const a of res.optimized.body.items) {
        expect(Object.keys(a.settings)).toHaveLength(SETTINGS_PER_AGENT);
      }
      for (const mode of ['optimized', 'baseline'] as const) {
        const count = dbQueries(res[mode]);
        measured.push(`agents full limit=${n} ${mode}: ${count}`);
        expect(count, mode).toBe(expected('agents', mode, n));
      }
    });

    it('agents lite: 2 queries in both modes, the same bytes', async () => {
      const res = await both<Page<AgentLite>>(paths.lite(n));
      expect(res.optimized.body.items).toHaveLength(n);
      expect(Object.keys(res.optimized.body.items[0]).sort()).toEqual([
        'id',
        'name',
        'status',
        'updatedAt',
      ]);
      for (const mode of ['optimized', 'baseline'] as const) {
        const count = dbQueries(res[mode]);
        measured.push(`agents lite limit=${n} ${mode}: ${count}`);
        expect(count, mode).toBe(expected('lite', mode, n));
      }
    });

    it('dashboard: 4 queries optimized, 10 + N baseline, the same bytes', async () => {
      const res = await both<Dashboard>(paths.dashboard(n));
      expect(res.optimized.body.agents).toHaveLength(n);
      expect(res.optimized.body.counts).toEqual({
        agents: n,
        deliverables: 12,
        thinkingProcesses: n,
        goals: 3,
      });
      for (const mode of ['optimized', 'baseline'] as const) {
        const count = dbQueries(res[mode]);
        measured.push(`dashboard ${n} agents ${mode}: ${count}`);
        expect(count, mode).toBe(expected('dashboard', mode, n));
      }
    });
  });

  describe.each([10, 100] as const)('page 2 of %i children, through the same cursor', (n) => {
    it('thinking: the same cursor and bytes; baseline adds the OFFSET count', async () => {
      const pageSize = n === 10 ? 4 : 40;
      const path = (cursor?: string) =>
        `/api/workspaces/${ws(n)}/thinking?processes=${pageSize}&stepsPerProcess=${STEPS_SHOWN}` +
        (cursor ? `&cursor=${cursor}` : '');
      const first = await both<Page<ThinkingProcessWithSteps>>(path());
      const cursor = first.optimized.body.nextCursor;
      expect(cursor).toEqual(expect.any(String));
      const second = await both<Page<ThinkingProcessWithSteps>>(path(cursor!));
      expect(second.optimized.body.items).toHaveLength(pageSize);
      const firstIds = new Set(first.optimized.body.items.map((p) => p.id));
      expect(second.optimized.body.items.some((p) => firstIds.has(p.id))).toBe(false);
      for (const mode of ['optimized', 'baseline'] as const) {
        const count = dbQueries(second[mode]);
        measured.push(`thinking page 2 processes=${pageSize} ${mode}: ${count}`);
        expect(count, mode).toBe(expected('thinking', mode, pageSize, true));
      }
    });

    it('agents full and lite: the same cursor and bytes; baseline adds the count', async () => {
      const pageSize = n === 10 ? 4 : 40;
      for (const endpoint of ['agents', 'lite'] as const) {
        const first = await both<Page<Agent | AgentLite>>(paths[endpoint](n, undefined, pageSize));
        const cursor = first.optimized.body.nextCursor;
        expect(cursor).toEqual(expect.any(String));
        const second = await both<Page<Agent | AgentLite>>(paths[endpoint](n, cursor!, pageSize));
        expect(second.optimized.body.items).toHaveLength(pageSize);
        for (const mode of ['optimized', 'baseline'] as const) {
          const count = dbQueries(second[mode]);
          measured.push(`${endpoint} page 2 limit=${pageSize} ${mode}: ${count}`);
          expect(count, `${endpoint} ${mode}`).toBe(expected(endpoint, mode, pageSize, true));
        }
      }
    });
  });

  it('refuses more processes than the thinking list pages', async () => {
    const res = await t.api.get<ErrorResponse>(
      `/api/workspaces/${ws(100)}/thinking?processes=${THINKING_PROCESSES_MAX + 1}`,
      { token: owner.token },
    );
    expect(res.status).toBe(400);
    expect(res.body.details?.map((d) => d.field)).toEqual(['processes']);
    expect(dbQueries(res)).toBe(1);
  });

  describe('200 concurrent mixed requests on a pool of 5', () => {
    interface Kind {
      path: string;
      queries: number;
      text: string;
    }

    /** Every request kind with its solo count and body, measured one at a time. */
    async function soloRuns(mode: Mode): Promise<Kind[]> {
      const kinds: Kind[] = [];
      for (const n of SIZES) {
        const candidates: [string, number][] = [
          [paths.thinking(n), expected('thinking', mode, processesShown(n))],
          [paths.agents(n), expected('agents', mode, n)],
          [paths.lite(n), expected('lite', mode, n)],
          [paths.dashboard(n), expected('dashboard', mode, n)],
        ];
        for (const [path, queries] of candidates) {
          const res = await apiOf(mode).get(path, { token: owner.token });
          expect(res.status, res.text).toBe(200);
          expect(dbQueries(res), `${mode} ${path}`).toBe(queries);
          kinds.push({ path, queries, text: res.text });
        }
      }
      return kinds;
    }

    /** 200 requests at once, cycling through the kinds; samples the pool's queue meanwhile. */
    async function burst(mode: Mode) {
      const kinds = await soloRuns(mode);
      const accounting = (mode === 'optimized' ? t.app : baseline.app).get(QueryAccounting);
      expect(accounting.metrics().pool.max).toBe(5);
      let maxWaiting = 0;
      const sampler = setInterval(() => {
        maxWaiting = Math.max(maxWaiting, accounting.metrics().pool.waiting);
      }, 1);
      try {
        const responses = await Promise.all(
          Array.from({ length: 200 }, (_, i) =>
            apiOf(mode).get(kinds[i % kinds.length].path, { token: owner.token }),
          ),
        );
        return {
          maxWaiting,
          sent: responses.map((res, i) => ({ res, kind: kinds[i % kinds.length] })),
        };
      } finally {
        clearInterval(sampler);
      }
    }

    it.each(['optimized', 'baseline'] as const)(
      '%s: every response reports its own solo count',
      async (mode) => {
        const { maxWaiting, sent } = await burst(mode);
        // The premise: requests did queue for one of the 5 connections.
        expect(maxWaiting).toBeGreaterThan(0);
        const wrong: string[] = [];
        for (const { res, kind } of sent) {
          expect(res.status, res.text).toBe(200);
          expect(res.text, kind.path).toBe(kind.text);
          const count = dbQueries(res);
          if (count !== kind.queries) wrong.push(`${kind.path}: ${count}, solo ${kind.queries}`);
        }
        expect(wrong).toEqual([]);
      },
    );
  });
});
