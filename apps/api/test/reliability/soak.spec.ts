import type { PerformanceMetrics } from '@orch/contracts';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { factory, type TestUser } from '../support/factories.js';
import { MixedLoad, type Outcome, summarise } from '../support/mixed-load.js';
import { operatorToken } from '../support/operator.js';
import { type ApiProcess, spawnApi } from '../support/spawn-api.js';

/**
 * Soak: 100 simulated users on the mixed workload against one built API process for
 * RELIABILITY_SOAK_SECONDS (120 s by default, as CI runs it; 600 for the 10
 * minutes). Error rate, p95 in the first and the last minute, heap and RSS over the run
 * (the process reports its own after a full GC, through test/support/memory-probe.js), and the pool's waiting
 * queue sampled every second. The figures go to docs/reliability.md.
 */

const SECONDS = Number(process.env.RELIABILITY_SOAK_SECONDS ?? 120);
const USERS = 100;
/** Each user pauses this long between requests: ~90 requests/s, under what the box serves. */
const THINK_MS = 1_000;
const WARMUP_MS = 5_000;
/**
 * The windows compared: the first and the last minute after the warm-up; on the 2-minute run,
 * its two halves after the warm-up (57.5 s each).
 */
const WINDOW_MS = Math.min(60_000, Math.floor((SECONDS * 1000 - WARMUP_MS) / 2));
const JWT_SECRET = 'soak-secret-at-least-32-characters-long!';
const PROBE = join(__dirname, '../support/memory-probe.js');

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const mb = (bytes: number) => Math.round((bytes / 1024 / 1024) * 10) / 10;
const p95 = (outcomes: Outcome[]) => summarise(outcomes).p95;

interface Sample {
  at: number;
  heapUsed: number;
  rss: number;
  poolWaiting: number;
  poolTotal: number;
}

describe(`soak: ${USERS} users for ${SECONDS} s`, () => {
  let database: TestDatabase;
  let api: ApiProcess;
  let owner: TestUser;

  beforeAll(async () => {
    database = await createTestDatabase();
    api = await spawnApi({
      DATABASE_URL: database.url,
      JWT_SECRET,
      RATE_LIMIT_MULTIPLIER: '1000',
      DEMO_ACTIVITY: 'off',
      GOAL_MONITOR_ENABLED: 'false',
      NODE_OPTIONS: `--expose-gc --require ${PROBE}`,
      MEMORY_PROBE_MS: '3000',
    });
    owner = await factory(api.api).user();
  }, 90_000);

  afterAll(async () => {
    await api?.stop();
    await database?.drop();
  });

  it(
    'holds the error rate under 0.1%, p95 steady, heap and RSS flat, the pool never exhausted',
    async () => {
      const ws = await factory(api.api).workspace(owner);
      const agents = [];
      for (let i = 0; i < 20; i++) agents.push((await factory(api.api).agent(owner, ws.id)).id);
      const load = new MixedLoad({
        targets: [api.url],
        token: owner.token,
        workspaceId: ws.id,
        users: USERS,
        thinkMs: THINK_MS,
        // Reads and renames of a fixed set of agents: writes that do not grow the data, so the
        // end of the run serves what the start did.
        weights: { list: 6, lite: 4, dashboard: 4, workspace: 2, rename: 4, create: 0 },
        agentIds: agents,
      }).start();

      const samples: Sample[] = [];
      const until = performance.now() + SECONDS * 1000;
      while (performance.now() < until) {
        await sleep(1_000);
        const probes = [...api.output().matchAll(/\[memory-probe\] heapUsed=(\d+) rss=(\d+)/g)];
        const last = probes.at(-1);
        const metrics = await api.api.get<PerformanceMetrics>('/api/performance/metrics', {
          token: await operatorToken(api.api),
        });
        if (!last || metrics.status !== 200) continue;
        samples.push({
          at: load.now(),
          heapUsed: Number(last[1]),
          rss: Number(last[2]),
          poolWaiting: metrics.body.database.pool.waiting,
          poolTotal: metrics.body.database.pool.total,
        });
      }
      await load.stop();
      const end = load.now();

      const all = summarise(load.outcomes);
      const errors = load.outcomes.filter((o) => o.status < 200 || o.status >= 300);
      const errorRate = errors.length / all.requests;
      const first = load.between(WARMUP_MS, WARMUP_MS + WINDOW_MS);
      const lastWindow = load.between(end - WINDOW_MS, end);
      const inWindow = (from: number, to: number) =>
        samples.filter((s) => s.at >= from && s.at < to);
      const avg = (xs: number[]) => xs.reduce((x, y) => x + y, 0) / Math.max(1, xs.length);
      const heapFirst = avg(inWindow(WARMUP_MS, WARMUP_MS + WINDOW_MS).map((s) => s.heapUsed));
      const heapLast = avg(inWindow(end - WINDOW_MS, end).map((s) => s.heapUsed));
      const rssFirst = avg(inWindow(WARMUP_MS, WARMUP_MS + WINDOW_MS).map((s) => s.rss));
      const rssLast = avg(inWindow(end - WINDOW_MS, end).map((s) => s.rss));
      const maxWaiting = Math.max(...samples.map((s) => s.poolWaiting));
      const figures = {
        seconds: SECONDS,
        users: USERS,
        requests: all.requests,
        perSecond: Math.round(all.requests / (end / 1000)),
        errors: errors.length,
        errorRatePct: Math.round(errorRate * 100_000) / 1000,
        p50: all.p50,
        p95: all.p95,
        p95First: p95(first),
        p95Last: p95(lastWindow),
        heapFirstMb: mb(heapFirst),
        heapLastMb: mb(heapLast),
        heapMaxMb: mb(Math.max(...samples.map((s) => s.heapUsed))),
        rssFirstMb: mb(rssFirst),
        rssLastMb: mb(rssLast),
        poolMaxWaiting: maxWaiting,
        poolSamplesWaiting: samples.filter((s) => s.poolWaiting > 0).length,
        samples: samples.length,
        renames: load.outcomes.filter((o) => o.op === 'rename' && o.status === 200).length,
      };
      console.log(`[soak] ${JSON.stringify(figures)}`);

      expect(samples.length).toBeGreaterThan(SECONDS / 2);
      expect(errors.slice(0, 5)).toEqual([]); // no error at all, in practice
      expect(errorRate).toBeLessThan(0.001);
      // p95 of the last minute against the first: within 10%, the bound, plus 5 ms, the
      // jitter of a 2-core box at these latencies (p95 17-34 ms measured). The reliability tier runs
      // alone, after every other one, so what it measures is the app: a queue that does not
      // drain or per-request work that grows would show here. Faster at the end is no failure.
      expect(figures.p95Last).toBeLessThanOrEqual(figures.p95First * 1.1 + 5);
      // Heap (after a full GC) and RSS flat: the end within 20% of the start, and the heap's
      // growth between the windows' centres under 512 bytes per request served in between (a
      // leak of 1 KB per request adds ~1 KB each; measured: ~90 B on the 2-minute run, which
      // includes the JIT's warm-up, ~20 B over 10 minutes). 20% alone would let a 1 KB leak
      // through a 2-minute run (~6 MB between the windows on a 52 MB heap).
      expect(heapLast).toBeLessThan(heapFirst * 1.2);
      const servedBetween = load.between(WARMUP_MS + WINDOW_MS / 2, end - WINDOW_MS / 2).length;
      expect(servedBetween).toBeGreaterThan(0);
      expect((heapLast - heapFirst) / servedBetween).toBeLessThan(512);
      expect(rssLast).toBeLessThan(rssFirst * 1.2);
      // The pool: requests may queue for a connection under 100 users (backpressure), but none
      // waited past DB_CONNECT_TIMEOUT_MS (that is a 503, and there was no error at all), and the
      // queue is empty once the load stops.
      expect(errors.filter((o) => o.status === 503)).toEqual([]);
      const after = await api.api.get<PerformanceMetrics>('/api/performance/metrics', {
        token: await operatorToken(api.api),
      });
      expect(after.body.database.pool.waiting).toBe(0);
    },
    (SECONDS + 60) * 1000,
  );
});
