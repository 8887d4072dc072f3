/**
 * The cache benchmark: a read-heavy mix (by default 90% reads of the workspace,
 * its dashboard and its agent list across a few workspaces, 10% writes: agent
 * and workspace PATCHes) against the same build three ways, side by side on the
 * same data: without the caches (`OPTIMIZATIONS=batching,display-cache`), with
 * them in process (`all`), and with them plus a Redis of the bench's own
 * (`all` + REDIS_URL; skipped when redis-server is not installed or with
 * --no-redis). Measures the hit rate (/api/performance/cache-stats), latency,
 * throughput, database round trips and CPU per request, and checks every read
 * that follows a write for the written value. Prints a Markdown table and writes
 * it into docs/caching.md between its markers. Bounded in time; cleans up after itself.
 *
 *   node dist/tools/bench/src/caching.js [--dry-run] [--duration 10] [--connections 16] ...
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { Socket } from 'node:net';
import { cpus, loadavg, release, tmpdir, totalmem, type } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { numberFlag } from './lib/cli.js';
import { writeBetweenMarkers } from './lib/report.js';
import { Cleanup, errorMessage, withTimeout, stopOnSignalsOrTimeout } from './lib/cleanup.js';
import { CpuMeter } from './lib/cpu.js';
import { assertBuilt, EMBEDDED_POSTGRES_JS, openDatabase } from './lib/database.js';
import { dbQueries, type HttpReply, HttpTarget } from './lib/http.js';
import { freePort, NodeChild, runNode, waitUntilHealthy } from './lib/processes.js';
import { duration, type LatencySummary, mean, ms, summarize, thousands } from './lib/stats.js';

/*
 * The bench talks to the API over HTTP only and keeps its own view of the
 * answers (the Nx boundaries let a scope:tools project import no library).
 * These mirror libs/contracts (performance.ts, workspaces.ts, agents.ts, dashboard.ts).
 */
const CACHE_NAMES = ['workspace', 'membership', 'dashboard', 'agents', 'quota'] as const;
type CacheName = (typeof CACHE_NAMES)[number];
interface CacheStatsEntry {
  enabled: boolean;
  hits: number;
  misses: number;
  evictions: number;
  expirations: number;
  staleDiscarded: number;
}
interface CacheStatsResponse {
  tiers: string[];
  caches: Record<CacheName, CacheStatsEntry>;
}
interface Page<T> {
  items: T[];
  nextCursor: string | null;
}
interface AgentRow {
  id: string;
  name: string;
  updatedAt: string;
}
interface Workspace {
  id: string;
  description: string | null;
}
interface Dashboard {
  agents: AgentRow[];
}
interface AuthResponse {
  accessToken: string;
}

export const START_MARKER = '<!-- bench:caching:start -->';
export const END_MARKER = '<!-- bench:caching:end -->';

const API_MAIN = 'dist/apps/api/apps/api/src/main.js';
const SEED_CLI = 'dist/apps/api/apps/api/src/cli/seed.js';
const OWNER = { email: 'cache-bench@example.com', password: 'bench-password', name: 'Bench' };
const ANCHOR = '2026-01-01T12:00:00.000Z';
const AGENTS_PAGE = 20;

interface ModeSpec {
  key: 'baseline' | 'memory' | 'redis';
  label: string;
  optimizations: string;
  redis: boolean;
}
const MODES: ModeSpec[] = [
  {
    key: 'baseline',
    label: 'no cache',
    optimizations: 'batching,display-cache',
    redis: false,
  },
  { key: 'memory', label: 'cache, in-process', optimizations: 'all', redis: false },
  { key: 'redis', label: 'cache, in-process + Redis', optimizations: 'all', redis: true },
];

type ReadKind = 'workspace' | 'dashboard' | 'agents';
type WriteKind = 'agent' | 'workspace';
const READS: ReadKind[] = ['workspace', 'dashboard', 'agents'];

interface Options {
  connections: number;
  durationMs: number;
  rounds: number;
  warmupMs: number;
  workspaces: number;
  agents: number;
  writePercent: number;
  redis: boolean;
  dryRun: boolean;
  out: string;
  timeoutMs: number;
}

const USAGE = `Cache benchmark: a read-heavy mix without the caches, with them, and with Redis.

Usage: node dist/tools/bench/src/caching.js [options]

  --connections <n>   concurrent keep-alive connections (workers)        (default 16)
  --duration <s>      measured load per mode, in all                     (default 15)
  --rounds <n>        ...split into rounds, the modes taking turns       (default 5)
  --load-warmup <s>   unmeasured load before it (fills the caches)       (default 3)
  --workspaces <n>    seeded workspaces the mix spreads over             (default 4)
  --agents <n>        agents per workspace (5 settings each)             (default 20)
  --writes <pct>      share of writes in the mix                         (default 10)
  --no-redis          skip the mode with Redis
  --out <file>        page to write the table into                       (default docs/caching.md)
  --dry-run           print the table, write nothing
  --timeout <s>       give up (and clean up) after                       (default 300)
  -h, --help

Database: DATABASE_URL (a scratch database bench_<random> is created on that
server and dropped at the end), else a throw-away embedded PostgreSQL. Redis:
a redis-server of the bench's own on a free loopback port, when installed.
`;

function parseOptions(argv: string[]): Options | undefined {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      connections: { type: 'string', default: '16' },
      duration: { type: 'string', default: '15' },
      rounds: { type: 'string', default: '5' },
      'load-warmup': { type: 'string', default: '3' },
      workspaces: { type: 'string', default: '4' },
      agents: { type: 'string', default: '20' },
      writes: { type: 'string', default: '10' },
      'no-redis': { type: 'boolean', default: false },
      out: { type: 'string', default: 'docs/caching.md' },
      'dry-run': { type: 'boolean', default: false },
      timeout: { type: 'string', default: '300' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(USAGE);
    return undefined;
  }
  return {
    connections: Math.round(numberFlag('connections', values.connections, 1, 256)),
    durationMs: numberFlag('duration', values.duration, 1, 300) * 1000,
    rounds: Math.round(numberFlag('rounds', values.rounds, 1, 100)),
    warmupMs: numberFlag('load-warmup', values['load-warmup'], 0, 60) * 1000,
    workspaces: Math.round(numberFlag('workspaces', values.workspaces, 1, 50)),
    agents: Math.round(numberFlag('agents', values.agents, 1, 100)),
    writePercent: numberFlag('writes', values.writes, 0, 100),
    redis: !values['no-redis'],
    dryRun: values['dry-run'],
    out: values.out,
    timeoutMs: numberFlag('timeout', values.timeout, 30, 3600) * 1000,
  };
}

/** dist/tools/bench/src/caching.js -> the repository root. */
const ROOT = resolve(__dirname, '../../../..');
const stop = new AbortController();
let abortExitCode = 1;

function log(line: string): void {
  console.log(`[bench] ${line}`);
}

/** A small deterministic PRNG (mulberry32): every mode replays the same choices per worker. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

interface Fixture {
  workspaces: string[];
  /** Agent id -> its workspace; each worker writes only its own share of the agents. */
  agentWorkspace: Map<string, string>;
  agents: string[];
}

/** What one or more phases of a mode recorded, raw. */
interface Samples {
  reads: number[];
  writes: number[];
  byRead: Record<ReadKind, { latencies: number[]; queries: number[] }>;
  errors: number;
  errorKinds: Map<string, number>;
  checks: number;
  stale: string[];
  elapsedMs: number;
}

function emptySamples(): Samples {
  const byRead = {} as Samples['byRead'];
  for (const kind of READS) byRead[kind] = { latencies: [], queries: [] };
  return {
    reads: [],
    writes: [],
    byRead,
    errors: 0,
    errorKinds: new Map(),
    checks: 0,
    stale: [],
    elapsedMs: 0,
  };
}

function mergeSamples(into: Samples, from: Samples): void {
  into.reads.push(...from.reads);
  into.writes.push(...from.writes);
  for (const kind of READS) {
    into.byRead[kind].latencies.push(...from.byRead[kind].latencies);
    into.byRead[kind].queries.push(...from.byRead[kind].queries);
  }
  into.errors += from.errors;
  for (const [what, n] of from.errorKinds) {
    into.errorKinds.set(what, (into.errorKinds.get(what) ?? 0) + n);
  }
  into.checks += from.checks;
  into.stale.push(...from.stale);
  into.elapsedMs += from.elapsedMs;
}

function summarizePhase(samples: Samples): PhaseResult {
  const byRead = {} as PhaseResult['byRead'];
  for (const kind of READS) {
    byRead[kind] = {
      latency: summarize(samples.byRead[kind].latencies),
      queries: samples.byRead[kind].queries,
    };
  }
  const allQueries = READS.flatMap((kind) => samples.byRead[kind].queries);
  return {
    requests: samples.reads.length + samples.writes.length,
    errors: samples.errors,
    elapsedMs: samples.elapsedMs,
    reads: summarize(samples.reads),
    writes: summarize(samples.writes),
    byRead,
    readsWithoutQuery: allQueries.filter((q) => q === 0).length,
    readCount: allQueries.length,
    checks: samples.checks,
    stale: samples.stale,
    errorKinds: samples.errorKinds,
  };
}

interface PhaseResult {
  requests: number;
  errors: number;
  elapsedMs: number;
  reads: LatencySummary;
  writes: LatencySummary;
  /** Per read kind: latencies and X-DB-Queries. */
  byRead: Record<ReadKind, { latency: LatencySummary; queries: number[] }>;
  readsWithoutQuery: number;
  readCount: number;
  /** Reads that followed a write of the same worker and could be checked against it. */
  checks: number;
  stale: string[];
  /** Failed requests by what failed ("PATCH agent: 409"). */
  errorKinds: Map<string, number>;
}

interface ModeResult {
  spec: ModeSpec;
  phase: PhaseResult;
  cache: Record<CacheName, CacheStatsEntry>;
  dbQueries: number;
  /** µs of CPU per request, over all rounds. */
  cpu: { apiUs: number | undefined; pgUs: number | undefined };
  redisCpuUs: number | undefined;
}

/** What a worker checks on its next read after a write it made. */
type Pending =
  | { kind: 'agent'; workspaceId: string; agentId: string; name: string }
  | { kind: 'workspace'; workspaceId: string; description: string; epoch: number; clean: boolean };

/**
 * `connections` workers for `durationMs`, each sending its next request as soon as the last one
 * is answered: a write with probability writePercent, else a read of a random workspace. The
 * read after a worker's own write checks that write (an agent write through the dashboard, a
 * workspace write through GET /api/workspaces/:id), so writes stay writePercent of the mix.
 */
async function runPhase(
  target: HttpTarget,
  fixture: Fixture,
  options: Options,
  durationMs: number,
  tag: string,
): Promise<Samples> {
  const samples = emptySamples();
  const { reads, writes, byRead, stale, errorKinds } = samples;
  const failed = (what: string) => {
    samples.errors += 1;
    errorKinds.set(what, (errorKinds.get(what) ?? 0) + 1);
  };
  let sequence = 0;
  /** Workspace writes: started so far (per workspace) and in flight, to know when a check holds. */
  const epochs = new Map<string, number>();
  const inFlight = new Map<string, number>();
  const started = performance.now();
  const deadline = started + durationMs;

  const worker = async (index: number) => {
    const random = prng(index + 1);
    const own = fixture.agents.filter((_, i) => i % options.connections === index);
    let pending: Pending | undefined;
    let nextAgent = 0;
    while (performance.now() < deadline && !stop.signal.aborted) {
      const write = random() * 100 < options.writePercent;
      const workspaceId = fixture.workspaces[Math.floor(random() * fixture.workspaces.length)];
      let readKind = READS[Math.floor(random() * READS.length)];
      try {
        if (write) {
          const kind: WriteKind = own.length > 0 && random() < 0.6 ? 'agent' : 'workspace';
          const value = `${tag}-${index}-${++sequence}`;
          let reply: HttpReply;
          if (kind === 'agent') {
            const agentId = own[nextAgent++ % own.length];
            reply = await target.send('PATCH', `/api/agents/${agentId}`, { name: value });
            pending = {
              kind,
              workspaceId: fixture.agentWorkspace.get(agentId)!,
              agentId,
              name: value,
            };
          } else {
            const epoch = (epochs.get(workspaceId) ?? 0) + 1;
            epochs.set(workspaceId, epoch);
            const clean = (inFlight.get(workspaceId) ?? 0) === 0;
            inFlight.set(workspaceId, (inFlight.get(workspaceId) ?? 0) + 1);
            try {
              reply = await target.send('PATCH', `/api/workspaces/${workspaceId}`, {
                description: value,
              });
            } finally {
              inFlight.set(workspaceId, inFlight.get(workspaceId)! - 1);
            }
            pending = { kind, workspaceId, description: value, epoch, clean };
          }
          if (reply.status !== 200) {
            failed(`PATCH ${kind}: ${reply.status}`);
            pending = undefined;
          } else {
            writes.push(reply.ms);
          }
          continue;
        }

        let readWorkspace = workspaceId;
        const check = pending;
        pending = undefined;
        if (check) {
          readKind = check.kind === 'agent' ? 'dashboard' : 'workspace';
          readWorkspace = check.workspaceId;
        }
        const path =
          readKind === 'workspace'
            ? `/api/workspaces/${readWorkspace}`
            : readKind === 'dashboard'
              ? `/api/workspaces/${readWorkspace}/dashboard`
              : `/api/workspaces/${readWorkspace}/agents?limit=${AGENTS_PAGE}`;
        const reply = await target.send('GET', path);
        if (reply.status !== 200) {
          failed(`GET ${readKind}: ${reply.status}`);
          continue;
        }
        reads.push(reply.ms);
        byRead[readKind].latencies.push(reply.ms);
        byRead[readKind].queries.push(dbQueries(reply.headers) ?? Number.NaN);
        if (check?.kind === 'agent') {
          samples.checks += 1;
          const body = JSON.parse(reply.body.toString('utf8')) as Dashboard;
          const seen = body.agents.find((a) => a.id === check.agentId)?.name;
          if (seen !== check.name)
            stale.push(`agent ${check.agentId}: ${seen} after ${check.name}`);
        } else if (check?.kind === 'workspace') {
          // Checkable only if no other write of that workspace overlapped this one.
          if (check.clean && epochs.get(check.workspaceId) === check.epoch) {
            samples.checks += 1;
            const body = JSON.parse(reply.body.toString('utf8')) as Workspace;
            if (body.description !== check.description) {
              stale.push(
                `workspace ${check.workspaceId}: ${body.description} after ${check.description}`,
              );
            }
          }
        }
      } catch (error) {
        failed(errorMessage(error));
      }
    }
  };
  await Promise.all(Array.from({ length: options.connections }, (_, i) => worker(i)));
  samples.elapsedMs = performance.now() - started;
  return samples;
}

/** A redis-server of the bench's own on a free loopback port, nothing persisted. */
async function startRedis(cleanup: Cleanup): Promise<{ url: string; pid: number } | undefined> {
  const probe = spawnSync('redis-server', ['--version'], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0) {
    log('redis-server is not installed: the Redis mode is skipped');
    return undefined;
  }
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'bench-caching-redis-'));
  const child: ChildProcess = spawn(
    'redis-server',
    [
      ...['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
      ...['--dir', dir, '--loglevel', 'warning'],
    ],
    { stdio: 'ignore' },
  );
  const exited = new Promise<void>((resolveExit) => child.once('exit', () => resolveExit()));
  cleanup.add('redis-server', async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      await withTimeout(exited, 10_000, 'redis-server to exit').catch(() => child.kill('SIGKILL'));
    }
    rmSync(dir, { recursive: true, force: true });
  });
  const deadline = performance.now() + 10_000;
  while (!(await redisPing(port))) {
    if (performance.now() > deadline || child.exitCode !== null) {
      throw new Error(`redis-server on port ${port} did not answer PING`);
    }
    await new Promise((r) => setTimeout(r, 25));
  }
  const version = /v=(\S+)/.exec(probe.stdout)?.[1] ?? '?';
  log(`redis-server ${version} on 127.0.0.1:${port}`);
  return { url: `redis://127.0.0.1:${port}`, pid: child.pid ?? -1 };
}

function redisPing(port: number): Promise<boolean> {
  return new Promise((resolvePing) => {
    const socket = new Socket();
    const done = (ok: boolean) => {
      socket.destroy();
      resolvePing(ok);
    };
    socket.setTimeout(500, () => done(false));
    socket.once('error', () => done(false));
    socket.once('data', (data) => done(data.toString('utf8').startsWith('+PONG')));
    socket.connect(port, '127.0.0.1', () => socket.write('PING\r\n'));
  });
}

async function main(): Promise<number> {
  const options = parseOptions(process.argv.slice(2));
  if (!options) return 0;
  const startedAt = performance.now();
  assertBuilt(ROOT, [API_MAIN, SEED_CLI, EMBEDDED_POSTGRES_JS]);

  const cleanup = new Cleanup();
  const watchdog = stopOnSignalsOrTimeout(stop, cleanup, options.timeoutMs, (code) => {
    abortExitCode = code;
  });

  const apis: NodeChild[] = [];
  try {
    const db = await openDatabase(ROOT, log);
    cleanup.add('database', () => db.close());
    stop.signal.throwIfAborted();
    const redis = options.redis ? await startRedis(cleanup) : undefined;
    const modes = MODES.filter((m) => !m.redis || redis);

    const env: NodeJS.ProcessEnv = {
      ...process.env,
      DATABASE_URL: db.url,
      JWT_SECRET: randomBytes(32).toString('base64url'),
      NODE_ENV: 'production',
      LOG_LEVEL: 'warn',
      DEMO_SEED: 'false',
      RATE_LIMIT_MULTIPLIER: '1000000',
    };
    delete env.REDIS_URL;
    const seeded = performance.now();
    await runNode(
      'seed',
      join(ROOT, SEED_CLI),
      [
        ...['--workspaces', String(options.workspaces), '--agents', String(options.agents)],
        ...['--settings', '5', '--deliverables', '30', '--processes', '10', '--steps', '10'],
        ...['--goals', '5', '--seed', '7', '--anchor', ANCHOR],
        ...['--email', OWNER.email, '--password', OWNER.password, '--name', OWNER.name],
      ],
      { cwd: ROOT, env, timeoutMs: 120_000 },
    );
    log(
      `seeded ${options.workspaces} workspaces × ${options.agents} agents (5 settings each), ` +
        `30 deliverables, 10 processes, 5 goals (${duration(performance.now() - seeded)})`,
    );

    const targets = new Map<ModeSpec['key'], HttpTarget>();
    const meters = new Map<ModeSpec['key'], CpuMeter>();
    await Promise.all(
      modes.map(async (mode) => {
        const port = await freePort();
        const child = new NodeChild(`api (${mode.label})`, join(ROOT, API_MAIN), [], {
          cwd: ROOT,
          env: {
            ...env,
            OPTIMIZATIONS: mode.optimizations,
            PORT: String(port),
            HOST: '127.0.0.1',
            ...(mode.redis && redis ? { REDIS_URL: redis.url } : {}),
          },
        });
        apis.push(child);
        cleanup.add(child.name, () => child.stop());
        const target = new HttpTarget(new URL(`http://127.0.0.1:${port}`), options.connections);
        cleanup.add(`${child.name} client`, async () => target.close());
        await waitUntilHealthy(child, target, 60_000);
        const auth = await target.json<AuthResponse>('POST', '/api/auth/login', {
          email: OWNER.email,
          password: OWNER.password,
        });
        target.token = auth.accessToken;
        targets.set(mode.key, target);
        meters.set(mode.key, new CpuMeter(child.process.pid, db.postmasterPid));
        log(`${child.name} ready on port ${port}`);
      }),
    );

    const fixture = await loadFixture(targets.get('baseline')!);
    const loadBefore = loadavg()[0];
    // Warm-up, then the measured time in rounds, the modes taking turns (in a rotating order),
    // so a change in what else runs on the machine weighs on all of them alike.
    for (const mode of modes) {
      stop.signal.throwIfAborted();
      await runPhase(targets.get(mode.key)!, fixture, options, options.warmupMs, `${mode.key}-w`);
    }
    const acc = new Map(
      modes.map((mode) => [
        mode.key,
        {
          samples: emptySamples(),
          cache: Object.fromEntries(
            CACHE_NAMES.map((name) => [
              name,
              {
                enabled: true,
                hits: 0,
                misses: 0,
                evictions: 0,
                expirations: 0,
                staleDiscarded: 0,
              },
            ]),
          ) as Record<CacheName, CacheStatsEntry>,
          dbQueries: 0,
          /** CPU µs summed over the rounds (per request x requests). */
          cpu: { api: 0, pg: 0, redis: 0, requests: 0 },
          measured: { api: true, pg: true, redis: Boolean(mode.redis && redis) },
        },
      ]),
    );
    for (let round = 0; round < options.rounds; round++) {
      for (let i = 0; i < modes.length; i++) {
        stop.signal.throwIfAborted();
        const mode = modes[(round + i) % modes.length];
        const target = targets.get(mode.key)!;
        const a = acc.get(mode.key)!;
        const statsBefore = await cacheStats(target);
        const queriesBefore = await databaseQueries(target);
        const cpuBefore = meters.get(mode.key)!.snapshot();
        const redisMeter = mode.redis && redis ? new CpuMeter(redis.pid, undefined) : undefined;
        const redisBefore = redisMeter?.snapshot();
        const samples = await runPhase(
          target,
          fixture,
          options,
          options.durationMs / options.rounds,
          `${mode.key}-${round}`,
        );
        const cpu = CpuMeter.use(
          cpuBefore,
          meters.get(mode.key)!.snapshot(),
          samples.reads.length + samples.writes.length,
        );
        const redisCpu =
          redisMeter && redisBefore
            ? CpuMeter.use(
                redisBefore,
                redisMeter.snapshot(),
                samples.reads.length + samples.writes.length,
              )
            : undefined;
        const statsAfter = await cacheStats(target);
        a.dbQueries += (await databaseQueries(target)) - queriesBefore;
        for (const name of CACHE_NAMES) {
          const before = statsBefore.caches[name];
          const after = statsAfter.caches[name];
          const into = a.cache[name];
          into.enabled = after.enabled;
          into.hits += after.hits - before.hits;
          into.misses += after.misses - before.misses;
          into.evictions += after.evictions - before.evictions;
          into.expirations += after.expirations - before.expirations;
          into.staleDiscarded += after.staleDiscarded - before.staleDiscarded;
        }
        const requests = samples.reads.length + samples.writes.length;
        a.cpu.requests += requests;
        if (cpu.apiUs === undefined) a.measured.api = false;
        else a.cpu.api += cpu.apiUs * requests;
        if (cpu.pgUs === undefined) a.measured.pg = false;
        else a.cpu.pg += cpu.pgUs * requests;
        if (redisCpu?.apiUs !== undefined) a.cpu.redis += redisCpu.apiUs * requests;
        mergeSamples(a.samples, samples);
      }
      log(`round ${round + 1} of ${options.rounds} done`);
    }

    const results: ModeResult[] = modes.map((mode) => {
      const a = acc.get(mode.key)!;
      const perRequest = (sum: number, measured: boolean) =>
        measured && a.cpu.requests > 0 ? sum / a.cpu.requests : undefined;
      return {
        spec: mode,
        phase: summarizePhase(a.samples),
        cache: a.cache,
        dbQueries: a.dbQueries,
        cpu: {
          apiUs: perRequest(a.cpu.api, a.measured.api),
          pgUs: perRequest(a.cpu.pg, a.measured.pg),
        },
        redisCpuUs: perRequest(a.cpu.redis, a.measured.redis),
      };
    });
    for (const { spec, phase, cache, dbQueries: queries } of results) {
      log(
        `${spec.label.padEnd(26)} ${thousands(Math.round(rps(phase))).padStart(6)} req/s  ` +
          `read p50 ${ms(phase.reads.p50).padStart(5)} ms p99 ${ms(phase.reads.p99).padStart(5)} ms  ` +
          `hit rate ${hitRateText(cache)}  ${(queries / phase.requests).toFixed(2)} queries/req  ` +
          `stale ${phase.stale.length}/${phase.checks}` +
          (phase.errors > 0 ? `  ${phase.errors} errors` : ''),
      );
      for (const line of phase.stale.slice(0, 5)) log(`  stale read: ${line}`);
      for (const [what, n] of phase.errorKinds) log(`  ${n} × ${what}`);
    }

    const cpuList = cpus();
    const markdown = render(results, options, {
      runMs: performance.now() - startedAt,
      poolMax: process.env.DB_POOL_MAX?.trim() || '10',
      machine: `${cpuList[0]?.model.trim() ?? 'unknown CPU'} × ${cpuList.length}, ${type()} ${release()}, ${(totalmem() / 2 ** 30).toFixed(1)} GiB RAM`,
      node: process.version,
      postgres: `PostgreSQL ${db.serverVersion}, ${db.where}`,
      loadAverage: [loadBefore, loadavg()[0]],
    });
    console.log(`\n${markdown}\n`);
    if (options.dryRun) {
      log('not written (--dry-run)');
    } else {
      const file = resolve(ROOT, options.out);
      await writeBetweenMarkers(file, markdown, {
        start: START_MARKER,
        end: END_MARKER,
        title: 'Caching',
      });
      log(`written to ${file}`);
    }
  } catch (error) {
    if (!stop.signal.aborted) {
      for (const api of apis) {
        console.error(`[bench] ${api.name}; its last output:\n${api.output(20) || '    (none)'}`);
      }
    }
    throw error;
  } finally {
    clearTimeout(watchdog);
    await cleanup.run();
  }
  log(`done in ${duration(performance.now() - startedAt)}`);
  return 0;
}

async function loadFixture(target: HttpTarget): Promise<Fixture> {
  const page = await target.json<Page<{ id: string }>>('GET', '/api/workspaces?limit=100');
  const workspaces = page.items.map((w) => w.id);
  const agentWorkspace = new Map<string, string>();
  for (const id of workspaces) {
    const agents = await target.json<Page<{ id: string; status: string }>>(
      'GET',
      `/api/workspaces/${id}/agents?view=lite&limit=100`,
    );
    // A terminated agent can't be changed (409): the writes use the others.
    for (const agent of agents.items) {
      if (agent.status !== 'terminated') agentWorkspace.set(agent.id, id);
    }
  }
  if (workspaces.length === 0 || agentWorkspace.size === 0) {
    throw new Error('the seeded workspaces and agents were not found');
  }
  return { workspaces, agentWorkspace, agents: [...agentWorkspace.keys()] };
}

function cacheStats(target: HttpTarget): Promise<CacheStatsResponse> {
  return target.json<CacheStatsResponse>('GET', '/api/performance/cache-stats');
}

async function databaseQueries(target: HttpTarget): Promise<number> {
  const metrics = await target.json<{ database: { queries: number } }>(
    'GET',
    '/api/performance/metrics',
  );
  return metrics.database.queries;
}

function rps(phase: PhaseResult): number {
  return phase.requests / (phase.elapsedMs / 1000);
}

function hitRate(cache: Record<CacheName, CacheStatsEntry>, names: readonly CacheName[]): number {
  let hits = 0;
  let lookups = 0;
  for (const name of names) {
    hits += cache[name].hits;
    lookups += cache[name].hits + cache[name].misses;
  }
  return lookups === 0 ? Number.NaN : hits / lookups;
}

function hitRateText(cache: Record<CacheName, CacheStatsEntry>): string {
  return percent(hitRate(cache, CACHE_NAMES));
}

function percent(value: number | undefined, digits = 1): string {
  return value === undefined || !Number.isFinite(value) ? '–' : `${(value * 100).toFixed(digits)}%`;
}

function us(value: number | undefined): string {
  return value === undefined || !Number.isFinite(value) ? '–' : thousands(Math.round(value));
}

interface RunInfo {
  runMs: number;
  poolMax: string;
  machine: string;
  node: string;
  postgres: string;
  loadAverage: [number, number];
}

function render(results: ModeResult[], options: Options, info: RunInfo): string {
  const header = `| | ${results.map((r) => `${r.spec.label}`).join(' | ')} |`;
  const rule = `| --- | ${results.map(() => '---:').join(' | ')} |`;
  const row = (label: string, value: (r: ModeResult) => string) =>
    `| ${label} | ${results.map(value).join(' | ')} |`;
  const lookups = (r: ModeResult, name: CacheName) => {
    const c = r.cache[name];
    return c.enabled
      ? `${percent(hitRate(r.cache, [name]))} of ${thousands(c.hits + c.misses)}`
      : 'off';
  };
  const lines = [
    `Measured ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC by ` +
      `\`node dist/tools/bench/src/caching.js\` (whole run ${duration(info.runMs)}), on ` +
      `${info.machine}; Node ${info.node}; ${info.postgres}.`,
    '',
    `The same build ran ${results.length} times side by side on one scratch database ` +
      `(${options.workspaces} workspaces × ${options.agents} agents with 5 settings each, 30 ` +
      `deliverables, 10 thinking processes and 5 goals): ${results
        .map(
          (r) =>
            `**${r.spec.label}** (\`OPTIMIZATIONS=${r.spec.optimizations}\`${r.spec.redis ? ', `REDIS_URL` to a local redis-server' : ''})`,
        )
        .join(', ')}. \`NODE_ENV=production\`, \`DB_POOL_MAX=${info.poolMax}\`. ` +
      `Per mode: ${options.warmupMs / 1000} s of unmeasured load, then ` +
      `${options.durationMs / 1000} s measured in ${options.rounds} rounds of ` +
      `${options.durationMs / options.rounds / 1000} s, the modes taking turns in a rotating order ` +
      `(so a change in the machine's other load weighs on all alike); ` +
      `${options.connections} keep-alive connections ` +
      `each sending its next request when the last is answered: ${100 - options.writePercent}% ` +
      `reads of a random workspace (\`GET /api/workspaces/:id\`, \`/dashboard\` or ` +
      `\`/agents?limit=${AGENTS_PAGE}\`, alike) and ${options.writePercent}% writes ` +
      '(60% `PATCH /api/agents/:id` of a name, 40% `PATCH /api/workspaces/:id` of the ' +
      "description). The read that follows a connection's own write checks it instead (the " +
      'agent on the dashboard, the description on the workspace), so the agent list gets a ' +
      'little less than a third of the reads. Latencies are client-side, in ms; the load ' +
      'generator shares the cores.',
    '',
    header,
    rule,
    row('requests/s', (r) => thousands(Math.round(rps(r.phase)))),
    row(
      'read p50 / p95 / p99',
      (r) => `${ms(r.phase.reads.p50)} / ${ms(r.phase.reads.p95)} / ${ms(r.phase.reads.p99)}`,
    ),
    row('write p50 / p99', (r) => `${ms(r.phase.writes.p50)} / ${ms(r.phase.writes.p99)}`),
    row('hit rate, all caches', (r) => hitRateText(r.cache)),
    row('– workspace', (r) => lookups(r, 'workspace')),
    row('– membership (access check)', (r) => lookups(r, 'membership')),
    row('– dashboard', (r) => lookups(r, 'dashboard')),
    row('– agents', (r) => lookups(r, 'agents')),
    row('reads answered with 0 queries', (r) =>
      percent(r.phase.readsWithoutQuery / r.phase.readCount),
    ),
    row('database round trips per request', (r) => (r.dbQueries / r.phase.requests).toFixed(2)),
    row('stale entries discarded', (r) =>
      thousands(CACHE_NAMES.reduce((sum, name) => sum + r.cache[name].staleDiscarded, 0)),
    ),
    row('API CPU µs per request', (r) => us(r.cpu.apiUs)),
    ...(results.some((r) => r.cpu.pgUs !== undefined)
      ? [row('PostgreSQL CPU µs per request', (r) => us(r.cpu.pgUs))]
      : []),
    row('Redis CPU µs per request', (r) => (r.spec.redis ? us(r.redisCpuUs) : '–')),
    row(
      'reads checked after a write: stale',
      (r) => `${r.phase.stale.length} of ${thousands(r.phase.checks)}`,
    ),
    row('errors', (r) => thousands(r.phase.errors)),
    '',
    'Per read: p50 latency in ms, and the mean `X-DB-Queries`.',
    '',
    `| read | ${results.map((r) => r.spec.label).join(' | ')} |`,
    `| --- | ${results.map(() => '---:').join(' | ')} |`,
    ...READS.map(
      (kind) =>
        `| ${kind === 'workspace' ? '`GET /api/workspaces/:id`' : kind === 'dashboard' ? '`/dashboard`' : `\`/agents?limit=${AGENTS_PAGE}\``} | ` +
        results
          .map((r) => {
            const b = r.phase.byRead[kind];
            return `${ms(b.latency.p50)} ms, ${mean(b.queries).toFixed(2)} queries`;
          })
          .join(' | ') +
        ' |',
    ),
    '',
    `Load average (1 min) ${info.loadAverage[0].toFixed(1)} when the measurements began, ` +
      `${info.loadAverage[1].toFixed(1)} when they ended.`,
  ];
  return lines.join('\n');
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (stop.signal.aborted) {
      console.error(`[bench] stopped: ${errorMessage(stop.signal.reason)}`);
      process.exit(abortExitCode);
    }
    console.error(`[bench] failed: ${errorMessage(error)}`);
    process.exit(1);
  },
);
