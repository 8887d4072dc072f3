/**
 * The query benchmark: the same build with OPTIMIZATIONS=all and =none, side
 * by side on the same data, on loopback. Seeds a scratch database, starts the
 * two API processes, measures each read endpoint in both modes (round trips,
 * sequential latency, throughput under load), prints a Markdown table and
 * writes it into docs/queries.md. Bounded in time; cleans up after itself.
 *
 *   node dist/tools/bench/src/queries.js [--dry-run] [--duration 5] [--connections 20] ...
 */
import { randomBytes } from 'node:crypto';
import { cpus, loadavg, release, totalmem, type } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { numberFlag } from './lib/cli.js';
import { Cleanup, errorMessage, stopOnSignalsOrTimeout } from './lib/cleanup.js';
import { CpuMeter } from './lib/cpu.js';
import { assertBuilt, EMBEDDED_POSTGRES_JS, openDatabase } from './lib/database.js';
import { HttpTarget } from './lib/http.js';
import { canonicalJson, type MeasureOptions, measureEndpoint } from './lib/measure.js';
import { freePort, NodeChild, runNode, waitUntilHealthy } from './lib/processes.js';
import {
  type EndpointResult,
  type Mode,
  renderMarkdown,
  writeBetweenMarkers,
} from './lib/report.js';
import { duration, ms, thousands } from './lib/stats.js';

/*
 * The bench talks to the API over HTTP only and keeps its own view of the
 * answers (the Nx boundaries let a scope:tools project import no library).
 * These mirror libs/contracts: PAGE_LIMIT_MAX and THINKING_PROCESSES_MAX.
 */
const PAGE_LIMIT_MAX = 100;
const THINKING_PROCESSES_MAX = 50;

interface Page<T> {
  items: T[];
  nextCursor: string | null;
}
interface AuthResponse {
  accessToken: string;
}
interface Dashboard {
  agents: unknown[];
  counts: { agents: number };
}

const API_MAIN = 'dist/apps/api/apps/api/src/main.js';
const SEED_CLI = 'dist/apps/api/apps/api/src/cli/seed.js';

const OWNER = { email: 'bench@example.com', password: 'bench-password', name: 'Bench Owner' };
/** Fixed "now" of the seeded timestamps: the same data on every run. */
const ANCHOR = '2026-01-01T12:00:00.000Z';
const STEPS = 20;

/** The two shapes: "10 children" and "100 children" per parent. */
const SHAPES = {
  small: { seed: 1010, agents: 10, processes: 10 },
  large: { seed: 1100, agents: 100, processes: 100 },
} as const;
type Shape = keyof typeof SHAPES;

interface Endpoint {
  label: string;
  shape: Shape;
  path: (workspaceId: string) => string;
  /** Why the answer is not the expected one, or undefined. */
  check: (body: unknown) => string | undefined;
}

/** The API caps a thinking page at THINKING_PROCESSES_MAX (50) processes. */
const LARGE_THINKING = Math.min(SHAPES.large.processes, THINKING_PROCESSES_MAX);

const ENDPOINTS: Endpoint[] = [
  {
    label: `thinking, 10 processes × ${STEPS} steps`,
    shape: 'small',
    path: (id) => `/api/workspaces/${id}/thinking?processes=10&stepsPerProcess=${STEPS}`,
    check: thinkingCheck(10),
  },
  {
    label: `thinking, ${LARGE_THINKING} processes × ${STEPS} steps`,
    shape: 'large',
    path: (id) =>
      `/api/workspaces/${id}/thinking?processes=${LARGE_THINKING}&stepsPerProcess=${STEPS}`,
    check: thinkingCheck(LARGE_THINKING),
  },
  {
    label: 'agents, 10 × 5 settings',
    shape: 'small',
    path: (id) => `/api/workspaces/${id}/agents?limit=${PAGE_LIMIT_MAX}`,
    check: itemsCheck(10),
  },
  {
    label: 'agents, 100 × 5 settings',
    shape: 'large',
    path: (id) => `/api/workspaces/${id}/agents?limit=${PAGE_LIMIT_MAX}`,
    check: itemsCheck(100),
  },
  {
    label: 'agents `view=lite`, 100',
    shape: 'large',
    path: (id) => `/api/workspaces/${id}/agents?view=lite&limit=${PAGE_LIMIT_MAX}`,
    check: itemsCheck(100),
  },
  {
    label: 'dashboard, 10 agents',
    shape: 'small',
    path: (id) => `/api/workspaces/${id}/dashboard`,
    check: dashboardCheck(10),
  },
  {
    label: 'dashboard, 100 agents',
    shape: 'large',
    path: (id) => `/api/workspaces/${id}/dashboard`,
    check: dashboardCheck(100),
  },
];

interface Options {
  measure: MeasureOptions;
  dryRun: boolean;
  out: string;
  only: string | undefined;
  timeoutMs: number;
  /** OPTIMIZATIONS of the "after" process (the "before" one runs with none). */
  after: string;
}

const USAGE = `Query benchmark: OPTIMIZATIONS=all vs none on the same data.

Usage: node dist/tools/bench/src/queries.js [options]

  --connections <n>     concurrent keep-alive connections under load   (default 20)
  --duration <s>        measured load per endpoint and mode            (default 5)
  --load-warmup <s>     unmeasured load before it                      (default 1)
  --requests <n>        sequential requests measured                   (default 300)
  --max-sequential <s>  ...but at most this long                       (default 6)
  --warmup <n>          sequential warm-up requests (at most half that long) (default 50)
  --only <text>         only the endpoints whose label contains text
  --out <file>          page to write the table into                   (default docs/queries.md)
  --dry-run             print the table, write nothing
  --timeout <s>         give up (and clean up) after                   (default 480)
  --after <list>        OPTIMIZATIONS of the "after" API, e.g. batching (default all)
  -h, --help

Database: DATABASE_URL (a scratch database bench_<random> is created on that
server and dropped at the end), else a throw-away embedded PostgreSQL.
DB_POOL_MAX and the other DB_* variables are passed on to both API processes.
`;

function parseOptions(argv: string[]): Options | undefined {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      connections: { type: 'string', default: '20' },
      duration: { type: 'string', default: '5' },
      'load-warmup': { type: 'string', default: '1' },
      requests: { type: 'string', default: '300' },
      'max-sequential': { type: 'string', default: '6' },
      warmup: { type: 'string', default: '50' },
      only: { type: 'string' },
      out: { type: 'string', default: 'docs/queries.md' },
      'dry-run': { type: 'boolean', default: false },
      timeout: { type: 'string', default: '480' },
      after: { type: 'string', default: 'all' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(USAGE);
    return undefined;
  }
  return {
    measure: {
      connections: Math.round(numberFlag('connections', values.connections, 1, 500)),
      durationMs: numberFlag('duration', values.duration, 0.5, 60) * 1000,
      loadWarmupMs: numberFlag('load-warmup', values['load-warmup'], 0, 30) * 1000,
      requests: Math.round(numberFlag('requests', values.requests, 1, 100_000)),
      maxSequentialMs: numberFlag('max-sequential', values['max-sequential'], 0.5, 120) * 1000,
      warmup: Math.round(numberFlag('warmup', values.warmup, 0, 10_000)),
    },
    dryRun: values['dry-run'],
    out: values.out,
    only: values.only,
    timeoutMs: numberFlag('timeout', values.timeout, 30, 3600) * 1000,
    after: afterOption(values.after),
  };
}

/** `all`, or a comma list of optimization names (the API validates the names). */
function afterOption(raw: string): string {
  const value = raw.trim().toLowerCase();
  if (value === 'none' || !/^[a-z0-9-]+(,[a-z0-9-]+)*$/.test(value)) {
    throw new Error(`--after must be all or a comma list of optimizations (got "${raw}")`);
  }
  return value;
}

/** dist/tools/bench/src/queries.js -> the repository root. */
const ROOT = resolve(__dirname, '../../../..');

/** Aborted by Ctrl-C, SIGTERM or the watchdog. */
const stop = new AbortController();
let abortExitCode = 1;

function log(line: string): void {
  console.log(`[bench] ${line}`);
}

async function main(): Promise<number> {
  const options = parseOptions(process.argv.slice(2));
  if (!options) return 0;
  const startedAt = performance.now();
  assertBuilt(ROOT, [API_MAIN, SEED_CLI, EMBEDDED_POSTGRES_JS]);
  const endpoints = ENDPOINTS.filter((e) => !options.only || e.label.includes(options.only));
  if (endpoints.length === 0) throw new Error(`--only "${options.only}" matches no endpoint`);

  const cleanup = new Cleanup();
  const watchdog = stopOnSignalsOrTimeout(stop, cleanup, options.timeoutMs, (code) => {
    abortExitCode = code;
  });

  const apis: NodeChild[] = [];
  try {
    const db = await openDatabase(ROOT, log);
    cleanup.add('database', () => db.close());
    stop.signal.throwIfAborted();
    log(`PostgreSQL ${db.serverVersion}, scratch database ${new URL(db.url).pathname.slice(1)}`);

    const jwtSecret = randomBytes(32).toString('base64url');
    const env = childEnv(db.url, jwtSecret);

    for (const [name, shape] of Object.entries(SHAPES)) {
      stop.signal.throwIfAborted();
      const started = performance.now();
      const output = await runNode(
        `seed (${name})`,
        join(ROOT, SEED_CLI),
        [
          ...['--workspaces', '1', '--agents', String(shape.agents), '--settings', '5'],
          ...['--deliverables', '50', '--processes', String(shape.processes)],
          ...['--steps', String(STEPS), '--goals', '5', '--seed', String(shape.seed)],
          ...['--anchor', ANCHOR, '--email', OWNER.email, '--password', OWNER.password],
          ...['--name', OWNER.name],
        ],
        { cwd: ROOT, env, timeoutMs: 120_000 },
      );
      const total = /total\s+([\d,]+)/.exec(output)?.[1] ?? '?';
      log(
        `seeded "${name}": ${shape.agents} agents × 5 settings, ${shape.processes} processes × ` +
          `${STEPS} steps, 50 deliverables, 5 goals (${total} rows, ${duration(performance.now() - started)})`,
      );
    }

    const targets = {} as Record<Mode, HttpTarget>;
    const meters = {} as Record<Mode, CpuMeter>;
    await Promise.all(
      (['all', 'none'] as const).map(async (mode) => {
        const port = await freePort();
        const optimizations = mode === 'all' ? options.after : 'none';
        const child = new NodeChild(
          `api (OPTIMIZATIONS=${optimizations})`,
          join(ROOT, API_MAIN),
          [],
          {
            cwd: ROOT,
            env: { ...env, OPTIMIZATIONS: optimizations, PORT: String(port), HOST: '127.0.0.1' },
          },
        );
        apis.push(child);
        cleanup.add(child.name, () => child.stop());
        stop.signal.throwIfAborted();
        const target = new HttpTarget(
          new URL(`http://127.0.0.1:${port}`),
          options.measure.connections,
        );
        cleanup.add(`${child.name} client`, async () => target.close());
        const started = performance.now();
        await waitUntilHealthy(child, target, 60_000);
        log(`${child.name} ready on port ${port} (${duration(performance.now() - started)})`);
        targets[mode] = target;
        meters[mode] = new CpuMeter(child.process.pid, db.postmasterPid);
      }),
    );

    for (const mode of ['all', 'none'] as const) {
      const auth = await targets[mode].json<AuthResponse>('POST', '/api/auth/login', {
        email: OWNER.email,
        password: OWNER.password,
      });
      targets[mode].token = auth.accessToken;
      const state = await targets[mode].json<{
        optimizations: { name: string; enabled: boolean }[];
      }>('GET', '/api/performance/optimizations');
      const on = state.optimizations.filter((o) => o.enabled).map((o) => o.name);
      const wanted =
        mode === 'none'
          ? []
          : options.after === 'all'
            ? state.optimizations.map((o) => o.name)
            : options.after.split(',');
      if (on.length !== wanted.length || wanted.some((name) => !on.includes(name))) {
        throw new Error(
          `the ${mode === 'none' ? 'none' : options.after} API reports ${on.join(', ') || 'nothing'} switched on`,
        );
      }
    }

    const workspaceIds = await findWorkspaces(targets.all);

    const loadBefore = loadavg()[0];
    const results: EndpointResult[] = [];
    for (const endpoint of endpoints) {
      const path = endpoint.path(workspaceIds[endpoint.shape]);
      const byMode = {} as EndpointResult['results'];
      for (const mode of ['all', 'none'] as const) {
        const result = await measureEndpoint(
          targets[mode],
          path,
          options.measure,
          stop.signal,
          meters[mode],
        );
        const problem = endpoint.check(result.body);
        if (problem) throw new Error(`${endpoint.label} (${mode}): ${problem}`);
        byMode[mode] = result;
        log(
          `${endpoint.label.padEnd(34)} ${(mode === 'all' ? options.after : mode).padEnd(4)}  queries ${result.queries.join('/').padStart(3)}` +
            `  p50 ${ms(result.sequential.p50).padStart(5)} ms  p99 ${ms(result.sequential.p99).padStart(5)} ms` +
            `  ${thousands(Math.round(result.load.rps)).padStart(5)} req/s @${options.measure.connections}` +
            `  p99 ${ms(result.load.latency.p99).padStart(5)} ms` +
            (result.load.errors > 0 ? `  ${result.load.errors} errors` : ''),
        );
      }
      const sameAnswer = canonicalJson(byMode.all.body) === canonicalJson(byMode.none.body);
      if (!sameAnswer) log(`WARNING: ${endpoint.label}: the two modes answered differently`);
      results.push({ label: endpoint.label, path, results: byMode, sameAnswer });
    }

    const metrics = await Promise.all(
      (['all', 'none'] as const).map((mode) =>
        targets[mode].json<{ database: { slowQueries: number; slowQueryThresholdMs: number } }>(
          'GET',
          '/api/performance/metrics',
        ),
      ),
    );

    const cpuList = cpus();
    const markdown = renderMarkdown(results, {
      date: new Date(),
      runMs: performance.now() - startedAt,
      cpu: `${cpuList[0]?.model.trim() ?? 'unknown CPU'} × ${cpuList.length}`,
      system: `${type()} ${release()}, ${(totalmem() / 2 ** 30).toFixed(1)} GiB RAM`,
      node: process.version,
      postgres: db.serverVersion,
      database: db.where,
      poolMax: process.env.DB_POOL_MAX?.trim() || '10',
      options: options.measure,
      slowStatements: {
        all: metrics[0].database.slowQueries,
        none: metrics[1].database.slowQueries,
      },
      slowThresholdMs: metrics[0].database.slowQueryThresholdMs,
      loadAverage: [loadBefore, loadavg()[0]],
      after: options.after,
      cpuMeasured: db.postmasterPid !== undefined,
    });
    console.log(`\n${markdown}\n`);
    if (options.dryRun || options.only) {
      log(`not written (${options.dryRun ? '--dry-run' : '--only'})`);
    } else {
      const file = resolve(ROOT, options.out);
      await writeBetweenMarkers(file, markdown);
      log(`written to ${file}`);
    }
  } catch (error) {
    // What the API processes said (LOG_LEVEL=warn) is usually the explanation.
    if (!stop.signal.aborted) {
      for (const api of apis) {
        const state = api.running ? 'running' : describeExit(api);
        console.error(
          `[bench] ${api.name}, ${state}; its last output:\n${api.output(20) || '    (none)'}`,
        );
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

function describeExit(child: NodeChild): string {
  const { exitCode, signalCode } = child.process;
  return signalCode ? `killed by ${signalCode}` : `exited with ${exitCode}`;
}

/** The environment of the seed CLI and both API processes. */
function childEnv(databaseUrl: string, jwtSecret: string): NodeJS.ProcessEnv {
  return {
    ...process.env,
    DATABASE_URL: databaseUrl,
    JWT_SECRET: jwtSecret,
    NODE_ENV: 'production',
    LOG_LEVEL: 'warn',
    DEMO_SEED: 'false',
    // The bench measures queries, not the rate limiter: its limits scaled out of the way.
    RATE_LIMIT_MULTIPLIER: '1000000',
  };
}

/** The owner's two workspaces, told apart by their agent count. */
async function findWorkspaces(target: HttpTarget): Promise<Record<Shape, string>> {
  const page = await target.json<Page<{ id: string }>>(
    'GET',
    `/api/workspaces?limit=${PAGE_LIMIT_MAX}`,
  );
  const found: Partial<Record<Shape, string>> = {};
  for (const workspace of page.items) {
    const dashboard = await target.json<Dashboard>(
      'GET',
      `/api/workspaces/${workspace.id}/dashboard`,
    );
    for (const [name, shape] of Object.entries(SHAPES) as [Shape, (typeof SHAPES)[Shape]][]) {
      if (dashboard.counts.agents === shape.agents) found[name] = workspace.id;
    }
  }
  if (!found.small || !found.large) {
    throw new Error(`seeded workspaces not found (saw ${page.items.length} workspaces)`);
  }
  return { small: found.small, large: found.large };
}

function itemsOf(body: unknown): unknown[] | undefined {
  const items = (body as { items?: unknown } | null)?.items;
  return Array.isArray(items) ? items : undefined;
}

function itemsCheck(count: number): (body: unknown) => string | undefined {
  return (body) => {
    const items = itemsOf(body);
    return items?.length === count ? undefined : `expected ${count} items, got ${items?.length}`;
  };
}

function thinkingCheck(processes: number): (body: unknown) => string | undefined {
  return (body) => {
    const items = itemsOf(body);
    if (items?.length !== processes) return `expected ${processes} processes, got ${items?.length}`;
    const short = items.filter((p) => (p as { steps?: unknown[] }).steps?.length !== STEPS);
    return short.length === 0 ? undefined : `${short.length} processes without ${STEPS} steps`;
  };
}

function dashboardCheck(agents: number): (body: unknown) => string | undefined {
  return (body) => {
    const listed = (body as Partial<Dashboard> | null)?.agents?.length;
    return listed === agents ? undefined : `expected ${agents} agents, got ${listed}`;
  };
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
