/**
 * `npm run bench`: one harness for every optimization. Seeds one dataset,
 * starts the built API twice on it (OPTIMIZATIONS=none and all) and a bare
 * Fastify ceiling, and drives every scenario against each side in alternating
 * rounds; writes docs/benchmarks.md and benchmarks.json (or into --out).
 * Bounded in time; everything it starts is stopped and deleted at the end, on
 * failure, on Ctrl-C and when its watchdog fires.
 */
import { wrkAvailable } from './lib/wrk.js';
import { randomBytes } from 'node:crypto';
import { cpus, loadavg, release, totalmem, type } from 'node:os';
import { resolve } from 'node:path';
import { CEILING_JS, startCeiling } from './ceiling/control.js';
import { API_MAIN, API_SIDES, type Api, checkSwitches, describeApi, startApi } from './lib/api.js';
import { Cleanup, errorMessage, stopOnSignalsOrTimeout } from './lib/cleanup.js';
import { assertBuilt, EMBEDDED_POSTGRES_JS, openDatabase } from './lib/database.js';
import { describeShape, MAIN_SHAPE, OWNER, PAGING_SHAPE, SEED_CLI, seed } from './lib/dataset.js';
import { FakeProvider } from './lib/fake-provider.js';
import { useNode } from './lib/processes.js';
import { duration, ms, thousands } from './lib/stats.js';
import { parseOptions } from './options.js';
import { writeReport } from './report/page.js';
import type { RunResult } from './report/model.js';
import { runDrift } from './scenarios/limiter/run.js';
import { measureReads, prepareReads } from './scenarios/measure-reads.js';
import { runMixed } from './scenarios/mixed/run.js';
import { runRealtime } from './scenarios/realtime/run.js';
import { READS } from './scenarios/reads.js';
import { runScale } from './scenarios/scale/run.js';
import type { Context } from './scenarios/types.js';

/** dist/tools/bench/src/main.js -> the repository root. */
const ROOT = resolve(__dirname, '../../../..');
const stop = new AbortController();
let abortExitCode = 1;

const t0 = performance.now();
function log(line: string): void {
  console.log(`[bench ${((performance.now() - t0) / 1000).toFixed(1).padStart(5)} s] ${line}`);
}

/** The environment of the seed CLI and of both API processes. */
function childEnv(databaseUrl: string, aiBaseUrl: string): NodeJS.ProcessEnv {
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(
      ([name]) =>
        !/^(AI_|WS_|DEMO_|CACHE_|RATE_LIMIT_|OPTIMIZATIONS$|PORT$|HOST$|LOG_LEVEL$|WEB_DIST_DIR$|EMBEDDED_PG_)/.test(
          name,
        ),
    ),
  );
  return {
    ...inherited,
    DATABASE_URL: databaseUrl,
    JWT_SECRET: randomBytes(32).toString('base64url'),
    NODE_ENV: 'production',
    LOG_LEVEL: 'warn',
    NO_COLOR: '1',
    // The API alone: no web app to serve, no demo data or activity.
    WEB_DIST_DIR: '/nonexistent',
    DEMO_SEED: 'false',
    DEMO_ACTIVITY: 'off',
    // The harness reads the instance-wide figures (cache hit rates, round trips): an operator's.
    OPERATOR_EMAILS: OWNER.email,
    // The limits scaled out of the way (the limiter still runs: its cost is reported).
    RATE_LIMIT_MULTIPLIER: '1000000',
    WS_MAX_TOTAL: '20000',
    WS_MAX_PER_WORKSPACE: '20000',
    AI_PROVIDER: 'openai',
    AI_BASE_URL: aiBaseUrl,
    AI_MODEL: 'bench-model',
    AI_DAILY_QUOTA: '1000000000',
    AI_CONCURRENCY: '4',
    AI_TIMEOUT_MS: '30000',
    AI_MAX_RETRIES: '2',
  };
}

async function main(): Promise<number> {
  const argv = process.argv.slice(2);
  const options = parseOptions(
    argv,
    READS.map((r) => r.name),
  );
  if (!options) return 0;
  const node = options.node
    ? `${useNode(options.node)} (the servers; the harness ${process.version})`
    : process.version;
  const startedAt = performance.now();
  assertBuilt(ROOT, [API_MAIN, SEED_CLI, EMBEDDED_POSTGRES_JS, CEILING_JS]);
  const cleanup = new Cleanup();
  const watchdog = stopOnSignalsOrTimeout(stop, cleanup, options.timeoutMs, (code) => {
    abortExitCode = code;
  });
  const apis: Api[] = [];
  try {
    const fake = new FakeProvider(options.providerMs);
    await fake.start();
    cleanup.add('fake AI provider', () => fake.close());
    log(`fake OpenAI-compatible provider at ${fake.baseUrl}, ${options.providerMs} ms per call`);
    const db = await openDatabase(ROOT, log);
    cleanup.add('database', () => db.close());
    log(`PostgreSQL ${db.serverVersion}, scratch database ${new URL(db.url).pathname.slice(1)}`);
    const env = childEnv(db.url, fake.baseUrl);

    const dataset = [MAIN_SHAPE, PAGING_SHAPE];
    // The first seed migrates the schema; the other runs while the APIs start.
    const seeded = [await seed(ROOT, db.url, env, dataset[0], log)];
    const [started] = await Promise.all([
      Promise.all(
        API_SIDES.map((side) => startApi(ROOT, side, env, cleanup, db.postmasterPid, log)),
      ),
      (async () => {
        for (const shape of dataset.slice(1))
          seeded.push(await seed(ROOT, db.url, env, shape, log));
      })(),
    ]);
    apis.push(...started);
    const [baseline, optimized] = started;
    const auth = await optimized.target.json<{ accessToken: string }>('POST', '/api/auth/login', {
      email: OWNER.email,
      password: OWNER.password,
    });
    await checkSwitches(baseline, auth.accessToken);
    const switches = await checkSwitches(optimized, auth.accessToken);

    const ctx: Context = {
      main: seeded[0].workspaceIds,
      paging: seeded[1].workspaceIds[0],
      apis: { baseline, optimized },
      state: new Map(),
      log,
      signal: stop.signal,
    };
    const cpuList = cpus();
    const result: RunResult = {
      meta: {
        date: '',
        command: `npm run bench${argv.length > 0 ? ` -- ${argv.join(' ')}` : ''}`,
        quick: options.quick,
        runMs: 0,
        machine: {
          cpu: cpuList[0]?.model.trim() ?? 'unknown CPU',
          cores: cpuList.length,
          system: `${type()} ${release()}`,
          memoryGiB: totalmem() / 2 ** 30,
        },
        node,
        postgres: db.serverVersion,
        database: db.where,
        redis: Boolean(env.REDIS_URL),
        poolMax: Number(env.DB_POOL_MAX ?? 10),
        providerMs: options.providerMs,
        readsGenerator: wrkAvailable() ? 'wrk' : 'undici',
        loadAverage: [loadavg()[0], 0],
        optimizations: optimized.enabled,
        rateLimits: (switches.rateLimits ?? []).map((l) => ({ tier: l.tier, limit: l.limit })),
        dataset: dataset.map(describeShape),
        profile: options.profile,
      },
    };
    const p = options.profile;
    const has = (phase: string) => options.phases.some((x) => x === phase);

    if (has('reads') || has('limiter')) {
      const chosen = has('reads')
        ? READS.filter((r) => options.reads.length === 0 || options.reads.includes(r.name))
        : [];
      // The drift run needs the workspace read's bytes for its control.
      const toPrepare = chosen.some((r) => r.name === 'workspace')
        ? chosen
        : [READS.find((r) => r.name === 'workspace')!, ...chosen];
      const prepared = await prepareReads(ctx, toPrepare);
      log(`${toPrepare.length} reads prepared: answers checked on both APIs, bytes captured`);
      const ceiling = await startCeiling(
        ROOT,
        prepared.captured,
        db.url,
        env,
        cleanup,
        db.postmasterPid,
      );
      log(`ceiling (bare Fastify) ready at ${ceiling.origin}`);
      if (chosen.length > 0) {
        result.reads = await measureReads(
          ctx,
          chosen,
          prepared,
          ceiling,
          fake,
          {
            fast: p.reads,
            slow: p.slowReads,
          },
          (name, side, round, r) =>
            log(
              `${name.padEnd(16)} ${side.padEnd(11)} round ${round + 1}: ${thousands(Math.round(r.rps)).padStart(6)} req/s  ` +
                `p50 ${ms(r.latency.p50).padStart(5)} ms  p99 ${ms(r.latency.p99).padStart(5)} ms` +
                (r.errors > 0 ? `  ${r.errors} errors` : ''),
            ),
        );
      }
      if (has('limiter')) {
        result.drift = await runDrift(ctx, ceiling, p.drift);
        for (const s of result.drift.sides) {
          log(
            `limiter drift ${s.side}: ${Math.round(s.first)} → ${Math.round(s.last)} req/s (first → last ${p.drift.windowS} s)`,
          );
        }
      }
    }
    if (has('mixed')) {
      // The display mode that transforms on the read path, for the mix only.
      const onRead = await startApi(ROOT, 'on-read', env, cleanup, db.postmasterPid, log);
      apis.push(onRead);
      await checkSwitches(onRead, auth.accessToken);
      ctx.apis['on-read'] = onRead;
      result.mixed = [];
      for (const providerMs of p.mixed.providerMs) {
        fake.delayMs = providerMs;
        result.mixed.push(
          await runMixed(ctx, fake, { ...p.mixed, providerMs }, (side, round, r) =>
            log(
              `mixed ${providerMs} ms ${side.padEnd(9)} round ${round + 1}: ${thousands(Math.round(r.total.rps))} req/s, ` +
                `${r.total.errors} errors (${r.total.timeouts} timeouts), p95 ${ms(r.total.latency.p95)} ms`,
            ),
          ),
        );
      }
      fake.delayMs = options.providerMs;
    }
    if (has('realtime')) result.realtime = await runRealtime(ctx, p.realtime, log);
    if (has('scale')) result.scale = await runScale(ctx, ROOT, db.url, env, p.scale, log);
    if (fake.problems.length > 0) {
      throw new Error(
        `the fake AI provider saw protocol problems:\n  ${fake.problems.slice(0, 5).join('\n  ')}`,
      );
    }

    result.meta.loadAverage[1] = loadavg()[0];
    result.meta.date = new Date().toISOString();
    result.meta.runMs = performance.now() - startedAt;
    const files = await writeReport(ROOT, result, options.out);
    for (const file of files) log(`written ${file}`);
  } catch (error) {
    if (!stop.signal.aborted) for (const api of apis) console.error(`[bench] ${describeApi(api)}`);
    throw error;
  } finally {
    clearTimeout(watchdog);
    await cleanup.run();
  }
  log(`done in ${duration(performance.now() - startedAt)}`);
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (stop.signal.aborted) {
      console.error(`[bench] stopped: ${errorMessage(stop.signal.reason)}`);
      process.exit(abortExitCode);
    }
    // The stack only on request: the message says what failed (DEBUG=1 for where).
    const detail =
      error instanceof Error ? (process.env.DEBUG ? error.stack : error.message) : error;
    console.error(`[bench] failed: ${String(detail)}`);
    process.exit(1);
  },
);
