/**
 * The realtime benchmark: one built API process (no Redis, limits raised) on a scratch
 * database, and this process as up to a few thousand socket.io clients over the websocket
 * transport. Measures
 *   - memory per idle connection: the API's heap and RSS (after a full GC) before and after
 *     opening N connections (default 1,000);
 *   - broadcast latency: a thinking step posted over HTTP reaches all N clients in one
 *     workspace room; per client, arrival time minus the step's server timestamp;
 *   - the most connections the instance held: a ramp (default to 5,000) that stops at the
 *     first failed or refused connection, or at a time bound.
 * Prints a Markdown table and writes it into docs/realtime.md between the bench markers.
 * Bounded in time and count; cleans up after itself.
 *
 *   node dist/tools/bench/src/realtime.js [--dry-run] [--connections 1000] [--max 5000] ...
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cpus, loadavg, release, totalmem, type } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { io, type Socket } from 'socket.io-client';
import { numberFlag } from './lib/cli.js';
import { writeBetweenMarkers } from './lib/report.js';
import { Cleanup, errorMessage, withTimeout } from './lib/cleanup.js';
import { CpuMeter } from './lib/cpu.js';
import { assertBuilt, EMBEDDED_POSTGRES_JS, openDatabase } from './lib/database.js';
import { HttpTarget } from './lib/http.js';
import { freePort } from './lib/processes.js';
import { duration, type LatencySummary, ms, summarize, thousands } from './lib/stats.js';

/*
 * The bench sees the API over HTTP and socket.io only (the Nx boundaries let a scope:tools
 * project import no library): these mirror libs/contracts/src/realtime.ts.
 */
interface StepEvent {
  workspaceId: string;
  processId: string;
  step: { id: string; content: string; createdAt: string };
}
interface ServerEvents {
  heartbeat: (payload: { seq: number; at: string }) => void;
  connection_rejected: (payload: { reason: string; limit: number; retryAfterMs: number }) => void;
  'thinking.step': (payload: StepEvent) => void;
}
interface ClientEvents {
  heartbeat_response: (payload: { seq: number }) => void;
}
type Client = Socket<ServerEvents, ClientEvents>;
interface RealtimeStats {
  local: number;
  total: number;
  rejected: Record<string, number>;
  heartbeatDisconnects: number;
  backlogDisconnects: number;
}

const API_MAIN = 'dist/apps/api/apps/api/src/main.js';
/**
 * Opened and closed before the baseline: enough to initialise what the first connection
 * initialises, few enough that the pages they leave to the allocator hardly hide the RSS
 * the measured connections take.
 */
const WARMUP_CONNECTIONS = 20;
/** Broadcasts sent before the measured ones. */
const WARMUP_ROUNDS = 5;
const START_MARKER = '<!-- bench:realtime:start -->';
const END_MARKER = '<!-- bench:realtime:end -->';
/** dist/tools/bench/src/realtime.js -> the repository root. */
const ROOT = resolve(__dirname, '../../../..');

/**
 * Runs inside the API process (node -e) before its main module: answers "memory?" over the
 * IPC channel with the heap and RSS after a full collection. Nothing else of the bench is
 * loaded there.
 */
const MEMORY_PROBE = `
process.on('message', (m) => {
  if (!m || m.type !== 'memory') return;
  for (let i = 0; i < 3; i++) global.gc();
  const u = process.memoryUsage();
  process.send({ type: 'memory', id: m.id, heapUsed: u.heapUsed, rss: u.rss, external: u.external });
});
process.channel.unref();
`;

interface Options {
  connections: number;
  max: number;
  rampSeconds: number;
  rounds: number;
  concurrency: number;
  dryRun: boolean;
  out: string;
  timeoutMs: number;
}

const USAGE = `Realtime benchmark: memory per idle socket.io connection, broadcast latency to one
room, the most connections one instance holds.

Usage: node dist/tools/bench/src/realtime.js [options]

  --connections <n>   idle connections measured, and clients in the broadcast room (default 1000)
  --max <n>           ramp up to this many connections in all                   (default 5000)
  --ramp-seconds <s>  ...for at most this long                                  (default 90)
  --rounds <n>        broadcasts measured                                       (default 30)
  --concurrency <n>   handshakes in flight while connecting                     (default 50)
  --out <file>        page to write the table into                 (default docs/realtime.md)
  --dry-run           print the table, write nothing
  --timeout <s>       give up (and clean up) after                              (default 420)
  -h, --help

Database: DATABASE_URL (a scratch database bench_<random> on that server, dropped at the
end), else a throw-away embedded PostgreSQL. Build first:
  npx nx run-many -t build --projects=contracts,api,bench
`;

function parseOptions(argv: string[]): Options | undefined {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      connections: { type: 'string', default: '1000' },
      max: { type: 'string', default: '5000' },
      'ramp-seconds': { type: 'string', default: '90' },
      rounds: { type: 'string', default: '30' },
      concurrency: { type: 'string', default: '50' },
      out: { type: 'string', default: 'docs/realtime.md' },
      'dry-run': { type: 'boolean', default: false },
      timeout: { type: 'string', default: '420' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(USAGE);
    return undefined;
  }
  const connections = Math.round(numberFlag('connections', values.connections, 10, 20_000));
  return {
    connections,
    max: Math.max(connections, Math.round(numberFlag('max', values.max, 10, 20_000))),
    rampSeconds: numberFlag('ramp-seconds', values['ramp-seconds'], 1, 600),
    rounds: Math.round(numberFlag('rounds', values.rounds, 1, 1_000)),
    concurrency: Math.round(numberFlag('concurrency', values.concurrency, 1, 500)),
    dryRun: values['dry-run'],
    out: values.out,
    timeoutMs: numberFlag('timeout', values.timeout, 30, 3600) * 1000,
  };
}

function log(line: string): void {
  console.log(`[bench] ${line}`);
}

const sleep = (msTotal: number) => new Promise((r) => setTimeout(r, msTotal));
/** Wall-clock ms with sub-ms resolution, comparable with the server's timestamps. */
const wallNow = () => performance.timeOrigin + performance.now();

interface Memory {
  heapUsed: number;
  rss: number;
  external: number;
}

/** The API as a child process with an IPC channel for the memory probe. */
class ApiChild {
  readonly process: ChildProcess;
  readonly exited: Promise<void>;
  private readonly lines: string[] = [];
  private nextId = 0;

  constructor(env: NodeJS.ProcessEnv) {
    this.process = spawn(
      process.execPath,
      ['--expose-gc', '-e', `${MEMORY_PROBE}\nrequire(${JSON.stringify(join(ROOT, API_MAIN))});`],
      { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe', 'ipc'] },
    );
    const keep = (chunk: Buffer) => {
      for (const line of chunk.toString('utf8').split('\n')) {
        if (line.trim() === '') continue;
        this.lines.push(line);
        if (this.lines.length > 100) this.lines.shift();
      }
    };
    this.process.stdout?.on('data', keep);
    this.process.stderr?.on('data', keep);
    this.exited = new Promise((resolveExit) => this.process.once('exit', () => resolveExit()));
    // Last resort if the bench dies without its cleanup.
    process.once('exit', () => this.process.kill('SIGKILL'));
  }

  get running(): boolean {
    return this.process.exitCode === null && this.process.signalCode === null;
  }

  output(): string {
    return this.lines.map((l) => `    ${l}`).join('\n');
  }

  memory(): Promise<Memory> {
    const id = ++this.nextId;
    const answer = new Promise<Memory>((resolveMemory) => {
      const onMessage = (message: unknown) => {
        const m = message as { type?: string; id?: number } & Memory;
        if (m?.type !== 'memory' || m.id !== id) return;
        this.process.off('message', onMessage);
        resolveMemory({ heapUsed: m.heapUsed, rss: m.rss, external: m.external });
      };
      this.process.on('message', onMessage);
    });
    this.process.send({ type: 'memory', id });
    return withTimeout(answer, 20_000, 'memory probe');
  }

  async stop(): Promise<void> {
    if (!this.running) return;
    this.process.kill('SIGTERM');
    const timer = setTimeout(() => this.process.kill('SIGKILL'), 15_000);
    await this.exited;
    clearTimeout(timer);
  }
}

async function waitUntilHealthy(child: ApiChild, target: HttpTarget): Promise<void> {
  const deadline = performance.now() + 90_000;
  let last = 'no answer yet';
  while (performance.now() < deadline) {
    if (!child.running) throw new Error(`the API exited during start-up:\n${child.output()}`);
    try {
      const reply = await target.send('GET', '/api/health', undefined, 2_000);
      if (reply.status === 200) return;
      last = `health answered ${reply.status}`;
    } catch (error) {
      last = errorMessage(error);
    }
    await sleep(100);
  }
  throw new Error(`the API was not healthy within 90 s (${last}):\n${child.output()}`);
}

/** One socket.io connection, as the web app opens it; resolves once accepted and settled. */
function openClient(origin: string, token: string, workspaceId: string): Promise<Client> {
  const socket: Client = io(origin, {
    path: '/socket.io',
    transports: ['websocket'],
    auth: { token, workspaceId },
    forceNew: true,
    reconnection: false,
    timeout: 20_000,
  });
  socket.on('heartbeat', ({ seq }) => socket.emit('heartbeat_response', { seq }));
  return new Promise((resolveOpen, reject) => {
    socket.once('connect_error', (error: Error & { data?: { code?: string } }) => {
      socket.close();
      reject(new Error(`connect_error ${error.data?.code ?? ''} ${error.message}`.trim()));
    });
    socket.once('connection_rejected', (payload) => {
      socket.close();
      reject(new Error(`connection_rejected ${payload.reason} (limit ${payload.limit})`));
    });
    socket.once('disconnect', (reason) => reject(new Error(`disconnected: ${reason}`)));
    socket.once('connect', () => resolveOpen(socket));
  });
}

/**
 * Opens `count` more connections, `concurrency` handshakes at a time; stops at the first
 * failure or at `deadline`. Returns the error that stopped it, if any.
 */
async function openMany(
  clients: Client[],
  count: number,
  concurrency: number,
  open: () => Promise<Client>,
  deadline = Number.POSITIVE_INFINITY,
): Promise<string | undefined> {
  let started = 0;
  let failure: string | undefined;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, count) }, async () => {
      while (started < count && failure === undefined && performance.now() < deadline) {
        started += 1;
        try {
          clients.push(await open());
        } catch (error) {
          failure ??= errorMessage(error);
        }
      }
    }),
  );
  return failure;
}

async function closeClients(clients: Client[]): Promise<void> {
  for (const client of clients.splice(0)) client.close();
  await sleep(500);
}

interface Results {
  connections: number;
  baseline: Memory;
  loaded: Memory;
  perConnection: { heap: number; rss: number };
  broadcast: {
    rounds: number;
    clients: number;
    fromServer: LatencySummary;
    fromRequest: LatencySummary;
    lastClient: LatencySummary;
    /** Per round: the server timestamp to the first client (write, commit, publish, one send). */
    firstClient: LatencySummary;
    /** Per client: after the first client of its round (the fan-out and the clients' decoding). */
    fromFirst: LatencySummary;
    missing: number;
    /** API CPU per posted step (us): with no client connected, and with the room full. */
    cpuAloneUs: number | undefined;
    cpuBroadcastUs: number | undefined;
    /** Share of all cores that other processes used during the broadcasts, 0..1. */
    others: number | undefined;
  };
  ramp: {
    target: number;
    held: number;
    stoppedBy: string;
    seconds: number;
    perSecond: number;
    memory: Memory;
    perConnection: { heap: number; rss: number };
    heartbeatDisconnects: number;
  };
}

async function main(): Promise<number> {
  const options = parseOptions(process.argv.slice(2));
  if (!options) return 0;
  const startedAt = performance.now();
  assertBuilt(ROOT, [API_MAIN, EMBEDDED_POSTGRES_JS]);

  const cleanup = new Cleanup();
  let interrupted = false;
  const abort = (why: string) => {
    if (interrupted) return;
    interrupted = true;
    console.error(`[bench] ${why}: cleaning up`);
    void cleanup.run().finally(() => process.exit(130));
  };
  process.on('SIGINT', () => abort('SIGINT'));
  process.on('SIGTERM', () => abort('SIGTERM'));
  const watchdog = setTimeout(
    () => abort(`still running after ${options.timeoutMs / 1000} s`),
    options.timeoutMs,
  );

  const clients: Client[] = [];
  try {
    const db = await openDatabase(ROOT, log);
    cleanup.add('database', () => db.close());
    log(`PostgreSQL ${db.serverVersion}, scratch database ${new URL(db.url).pathname.slice(1)}`);

    const port = await freePort();
    const env: NodeJS.ProcessEnv = { ...process.env };
    for (const key of Object.keys(env)) {
      if (/^(WS_|REDIS_URL$|PORT$|HOST$|DEMO_|LOG_LEVEL$|WEB_DIST_DIR$)/.test(key)) delete env[key];
    }
    Object.assign(env, {
      DATABASE_URL: db.url,
      JWT_SECRET: randomBytes(32).toString('base64url'),
      NODE_ENV: 'production',
      LOG_LEVEL: 'warn',
      HOST: '127.0.0.1',
      PORT: String(port),
      // The API alone: no web app to serve, no demo data or activity, no Redis.
      WEB_DIST_DIR: '/nonexistent',
      DEMO_SEED: 'false',
      DEMO_ACTIVITY: 'off',
      RATE_LIMIT_MULTIPLIER: '1000000',
      // Limits out of the way: the bench measures what one instance can hold.
      WS_MAX_TOTAL: String(options.max * 2),
      WS_MAX_PER_WORKSPACE: String(options.max * 2),
    });
    const child = new ApiChild(env);
    cleanup.add('api', () => child.stop());
    const origin = `http://127.0.0.1:${port}`;
    const target = new HttpTarget(new URL(origin), 4);
    cleanup.add('http client', async () => target.close());
    const started = performance.now();
    await waitUntilHealthy(child, target);
    log(`API ready on port ${port} (${duration(performance.now() - started)})`);

    const user = { email: 'realtime-bench@example.com', password: 'bench-password' };
    const auth = await target.json<{ accessToken: string }>('POST', '/api/auth/register', {
      ...user,
      name: 'Realtime Bench',
    });
    target.token = auth.accessToken;
    const workspace = await target.json<{ id: string }>('POST', '/api/workspaces', {
      name: 'Realtime bench',
    });
    const agent = await target.json<{ id: string }>(
      'POST',
      `/api/workspaces/${workspace.id}/agents`,
      { name: 'Bench agent', role: 'researcher' },
    );
    const thinking = await target.json<{ id: string }>(
      'POST',
      `/api/workspaces/${workspace.id}/thinking`,
      { agentId: agent.id, title: 'Broadcast bench' },
    );
    const open = () => openClient(origin, auth.accessToken, workspace.id);
    const stats = async () =>
      (await target.json<{ realtime: RealtimeStats }>('GET', '/api/performance/metrics')).realtime;

    // Warm-up: the first connections pay for lazy initialisation, not per connection.
    const warm: Client[] = [];
    const warmFailure = await openMany(warm, WARMUP_CONNECTIONS, options.concurrency, open);
    if (warmFailure) throw new Error(`warm-up: ${warmFailure}`);
    await closeClients(warm);
    await sleep(1_000);
    const baseline = await child.memory();
    log(`baseline: heap ${mib(baseline.heapUsed)}, RSS ${mib(baseline.rss)}`);

    // The same step posts with nobody listening: the API's CPU for the request alone.
    const meter = new CpuMeter(child.process.pid, db.postmasterPid);
    const post = (content: string) =>
      target.json('POST', `/api/thinking/${thinking.id}/steps`, { kind: 'observation', content });
    for (let i = 0; i < WARMUP_ROUNDS; i++) await post(`alone warm-up ${i}`);
    const aloneBefore = meter.snapshot();
    for (let i = 0; i < options.rounds; i++) {
      await post(`alone ${i}`);
      await sleep(100);
    }
    const alone = CpuMeter.use(aloneBefore, meter.snapshot(), options.rounds);

    // 1. Memory per idle connection.
    const failure = await openMany(clients, options.connections, options.concurrency, open);
    if (failure) throw new Error(`opening ${options.connections} connections: ${failure}`);
    await sleep(2_000);
    const loaded = await child.memory();
    const held = (await stats()).local;
    if (held !== options.connections) {
      throw new Error(`the API holds ${held} connections, expected ${options.connections}`);
    }
    const perConnection = {
      heap: (loaded.heapUsed - baseline.heapUsed) / options.connections,
      rss: (loaded.rss - baseline.rss) / options.connections,
    };
    log(
      `${thousands(options.connections)} idle connections: heap +${kib(perConnection.heap)}, ` +
        `RSS +${kib(perConnection.rss)} per connection`,
    );

    // 2. Broadcast to every client in the room.
    const arrivals = new Map<string, number[]>();
    const serverTimes = new Map<string, number>();
    for (const client of clients) {
      client.on('thinking.step', (payload) => {
        const at = wallNow();
        arrivals.get(payload.step.content)?.push(at);
        if (!serverTimes.has(payload.step.content)) {
          serverTimes.set(payload.step.content, Date.parse(payload.step.createdAt));
        }
      });
    }
    const fromServer: number[] = [];
    const fromRequest: number[] = [];
    const lastClient: number[] = [];
    const firstClient: number[] = [];
    const fromFirst: number[] = [];
    let missing = 0;
    let cpuBefore = meter.snapshot();
    for (let round = 0; round < options.rounds + WARMUP_ROUNDS; round++) {
      if (round === WARMUP_ROUNDS) cpuBefore = meter.snapshot();
      const content = `broadcast ${round}`;
      const received: number[] = [];
      arrivals.set(content, received);
      const sentAt = wallNow();
      await post(content);
      const until = performance.now() + 10_000;
      while (received.length < clients.length && performance.now() < until) await sleep(5);
      arrivals.delete(content);
      if (round < WARMUP_ROUNDS) continue;
      missing += clients.length - received.length;
      const serverAt = serverTimes.get(content) ?? Number.NaN;
      const firstAt = Math.min(...received);
      for (const at of received) {
        fromServer.push(at - serverAt);
        fromRequest.push(at - sentAt);
        fromFirst.push(at - firstAt);
      }
      firstClient.push(firstAt - serverAt);
      lastClient.push(Math.max(...received) - serverAt);
      await sleep(100);
    }
    const cpu = CpuMeter.use(cpuBefore, meter.snapshot(), options.rounds);
    const broadcast = {
      rounds: options.rounds,
      clients: clients.length,
      fromServer: summarize(fromServer),
      fromRequest: summarize(fromRequest),
      lastClient: summarize(lastClient),
      firstClient: summarize(firstClient),
      fromFirst: summarize(fromFirst),
      missing,
      cpuAloneUs: alone.apiUs,
      cpuBroadcastUs: cpu.apiUs,
      others: cpu.others,
    };
    log(
      `broadcast to ${thousands(clients.length)}: p50 ${ms(broadcast.fromServer.p50)} ms, ` +
        `p95 ${ms(broadcast.fromServer.p95)} ms, p99 ${ms(broadcast.fromServer.p99)} ms ` +
        `(first client p50 ${ms(broadcast.firstClient.p50)} ms, max ${ms(broadcast.firstClient.max)} ms; ` +
        `last client p50 ${ms(broadcast.lastClient.p50)} ms, max ${ms(broadcast.lastClient.max)} ms)` +
        (missing > 0 ? `, ${missing} deliveries missing` : '') +
        `; API CPU per post ${us(broadcast.cpuAloneUs)} alone, ${us(broadcast.cpuBroadcastUs)} ` +
        `with ${thousands(clients.length)} listening; other processes ${percent(broadcast.others)} of the cores`,
    );
    for (const client of clients) client.off('thinking.step');

    // 3. Ramp: as many connections as the instance holds, up to --max.
    const rampStarted = performance.now();
    const before = clients.length;
    const stoppedBy = await openMany(
      clients,
      options.max - clients.length,
      options.concurrency,
      open,
      rampStarted + options.rampSeconds * 1000,
    );
    const rampSeconds = (performance.now() - rampStarted) / 1000;
    await sleep(2_000);
    const atMax = await stats();
    const rampMemory = await child.memory();
    const ramp = {
      target: options.max,
      held: atMax.local,
      stoppedBy:
        stoppedBy ??
        (clients.length < options.max
          ? `time bound (${options.rampSeconds} s)`
          : `reached --max ${thousands(options.max)} without an error`),
      seconds: rampSeconds,
      perSecond: (clients.length - before) / rampSeconds,
      memory: rampMemory,
      perConnection: {
        heap: (rampMemory.heapUsed - baseline.heapUsed) / atMax.local,
        rss: (rampMemory.rss - baseline.rss) / atMax.local,
      },
      heartbeatDisconnects: atMax.heartbeatDisconnects,
    };
    log(
      `ramp: held ${thousands(ramp.held)} connections (${ramp.stoppedBy}); ` +
        `${Math.round(ramp.perSecond)} new connections/s; heap ${mib(rampMemory.heapUsed)}, RSS ${mib(rampMemory.rss)}`,
    );
    if (atMax.local !== clients.length) {
      throw new Error(`the API holds ${atMax.local} connections, the bench ${clients.length}`);
    }

    await closeClients(clients);
    let after = await stats();
    for (let i = 0; i < 100 && after.local > 0; i++) {
      await sleep(100);
      after = await stats();
    }
    log(`after closing every client the API holds ${after.local} connections`);

    const markdown = render(
      {
        connections: options.connections,
        baseline,
        loaded,
        perConnection,
        broadcast,
        ramp,
      },
      options,
      performance.now() - startedAt,
      db.serverVersion,
      db.where,
    );
    console.log(`\n${markdown}\n`);
    if (options.dryRun) {
      log('not written (--dry-run)');
    } else {
      const file = resolve(ROOT, options.out);
      await writeBetweenMarkers(file, markdown, {
        start: START_MARKER,
        end: END_MARKER,
        title: 'Realtime',
      });
      log(`written to ${file}`);
    }
  } finally {
    clearTimeout(watchdog);
    for (const client of clients) client.close();
    if (!interrupted) await cleanup.run();
  }
  log(`done in ${duration(performance.now() - startedAt)}`);
  return 0;
}

function kib(bytes: number): string {
  return `${(bytes / 1024).toFixed(1)} KB`;
}

function us(value: number | undefined): string {
  if (value === undefined) return '?';
  return value >= 1000 ? `${ms(value / 1000)} ms` : `${Math.round(value)} us`;
}

function percent(share: number | undefined): string {
  return share === undefined ? '?' : `${Math.round(share * 100)}%`;
}

function mib(bytes: number): string {
  return `${(bytes / 2 ** 20).toFixed(1)} MiB`;
}

function render(
  r: Results,
  options: Options,
  runMs: number,
  postgres: string,
  database: string,
): string {
  const cpuList = cpus();
  const b = r.broadcast;
  const lines = [
    `Measured ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC by ` +
      `\`node dist/tools/bench/src/realtime.js\` (whole run ${duration(runMs)}), on ` +
      `${cpuList[0]?.model.trim() ?? 'unknown CPU'} × ${cpuList.length}, ${type()} ${release()}, ` +
      `${(totalmem() / 2 ** 30).toFixed(1)} GiB RAM; Node ${process.version}; PostgreSQL ` +
      `${postgres}, ${database}; 1-minute load average ${loadavg()[0].toFixed(2)} at the end.`,
    '',
    `One built API process (\`NODE_ENV=production\`, no Redis, \`WS_MAX_TOTAL\` and ` +
      `\`WS_MAX_PER_WORKSPACE\` raised to ${thousands(options.max * 2)}, default heartbeat) and ` +
      `the bench as every client, websocket transport, on the same cores. Memory is the API's ` +
      `own \`process.memoryUsage()\` after three full GCs, against a baseline taken after ${WARMUP_CONNECTIONS} ` +
      `connections were opened and closed. Broadcast: a thinking step posted over HTTP, ` +
      `${b.rounds} rounds (after ${WARMUP_ROUNDS} unmeasured) to ${thousands(b.clients)} clients in one ` +
      `workspace room; latency per client is its arrival time minus the step's server ` +
      `timestamp (\`createdAt\`, set in the insert), so it includes the insert, the commit, ` +
      `the fan-out and the client's own decoding. Other processes used ${percent(b.others)} of the ` +
      `cores during the broadcasts: the latencies depend on it, the CPU figures much less.`,
    '',
    '| measure | measured | ECOSYSTEM.md ceiling |',
    '| --- | --- | --- |',
    `| heap per idle connection (${thousands(r.connections)} connections) | ${kib(r.perConnection.heap)} | ~11 KB |`,
    `| RSS per idle connection (${thousands(r.connections)} connections) | ${kib(r.perConnection.rss)} | ~21 KB (17-26 KB) |`,
    `| heap / RSS per connection at ${thousands(r.ramp.held)} connections | ${kib(r.ramp.perConnection.heap)} / ${kib(r.ramp.perConnection.rss)} | |`,
    `| API heap / RSS: baseline → ${thousands(r.connections)} → ${thousands(r.ramp.held)} connections | ${mib(r.baseline.heapUsed)} / ${mib(r.baseline.rss)} → ${mib(r.loaded.heapUsed)} / ${mib(r.loaded.rss)} → ${mib(r.ramp.memory.heapUsed)} / ${mib(r.ramp.memory.rss)} | |`,
    `| most connections one instance held | ${thousands(r.ramp.held)} (${r.ramp.stoppedBy}; ${Math.round(r.ramp.perSecond)} new connections/s during the ramp) | |`,
    `| broadcast to ${thousands(b.clients)} clients in one room, from the server timestamp | p50 ${ms(b.fromServer.p50)} ms, p95 ${ms(b.fromServer.p95)} ms, p99 ${ms(b.fromServer.p99)} ms | p50 15 ms, p99 31-38 ms |`,
    `| ...until the first client has it (the write, its commit, the publish) | p50 ${ms(b.firstClient.p50)} ms, max ${ms(b.firstClient.max)} ms | |`,
    `| ...after the first client (the fan-out and the clients' decoding) | p50 ${ms(b.fromFirst.p50)} ms, p95 ${ms(b.fromFirst.p95)} ms, p99 ${ms(b.fromFirst.p99)} ms | |`,
    `| ...until the last of the ${thousands(b.clients)} has it | p50 ${ms(b.lastClient.p50)} ms, max ${ms(b.lastClient.max)} ms | |`,
    `| ...from the HTTP request being sent | p50 ${ms(b.fromRequest.p50)} ms, p99 ${ms(b.fromRequest.p99)} ms | |`,
    `| API CPU per broadcast to ${thousands(b.clients)} (the post with the room full, minus the same post with nobody listening) | ${emitCost(b)} | emit ~15 us per recipient |`,
    `| deliveries missing | ${b.missing} of ${thousands(b.rounds * b.clients)} | |`,
  ];
  return lines.join('\n');
}

function emitCost(b: Results['broadcast']): string {
  if (b.cpuAloneUs === undefined || b.cpuBroadcastUs === undefined) return '? (no /proc)';
  const fanOut = b.cpuBroadcastUs - b.cpuAloneUs;
  return `${us(fanOut)} (${(fanOut / b.clients).toFixed(1)} us per recipient; the post itself ${us(b.cpuAloneUs)})`;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(
      `[bench] failed: ${error instanceof Error ? (error.stack ?? error.message) : error}`,
    );
    process.exit(1);
  },
);
