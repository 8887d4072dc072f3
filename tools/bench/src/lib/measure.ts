import { CpuMeter, type CpuUse } from './cpu.js';
import { dbQueries, type HttpReply, type HttpTarget, serverTiming } from './http.js';
import { type LatencySummary, mean, summarize } from './stats.js';

export interface MeasureOptions {
  /** Sequential requests before measuring (JIT, plan cache, pool). */
  warmup: number;
  /** Sequential requests measured, one at a time... */
  requests: number;
  /** ...or fewer, if they take longer than this. */
  maxSequentialMs: number;
  /** Concurrent keep-alive connections under load. */
  connections: number;
  /** Load before the measured load (fills the pools). */
  loadWarmupMs: number;
  /** Measured load. */
  durationMs: number;
}

export interface LoadResult {
  /** Completed 200s. */
  requests: number;
  /** Non-200 answers and failed requests. */
  errors: number;
  rps: number;
  elapsedMs: number;
  latency: LatencySummary;
  cpu: CpuUse | undefined;
}

export interface ModeResult {
  /** Distinct X-DB-Queries values seen (one, when the count is constant). */
  queries: number[];
  sequential: LatencySummary;
  /** Mean Server-Timing durations over the sequential requests. */
  dbMs: number;
  appMs: number;
  load: LoadResult;
  bytes: number;
  body: unknown;
}

export async function measureEndpoint(
  target: HttpTarget,
  path: string,
  options: MeasureOptions,
  signal: AbortSignal,
  meter?: CpuMeter,
): Promise<ModeResult> {
  const queries = new Set<number>();
  const record = (reply: HttpReply) => {
    const n = dbQueries(reply.headers);
    if (n !== undefined) queries.add(n);
  };

  // Warm-up: the count, or half the sequential time budget, whichever comes first.
  const warmupEnds = performance.now() + options.maxSequentialMs / 2;
  for (let i = 0; i < options.warmup && performance.now() < warmupEnds; i++) {
    signal.throwIfAborted();
    record(await expectOk(target, path));
  }

  const latencies: number[] = [];
  const db: number[] = [];
  const app: number[] = [];
  let last: HttpReply | undefined;
  const sequentialEnds = performance.now() + options.maxSequentialMs;
  for (let i = 0; i < options.requests && performance.now() < sequentialEnds; i++) {
    signal.throwIfAborted();
    last = await expectOk(target, path);
    record(last);
    latencies.push(last.ms);
    const timing = serverTiming(last.headers);
    if (timing) {
      db.push(timing.db);
      app.push(timing.app);
    }
  }
  if (!last) throw new Error(`${path}: no sequential request completed`);

  await load(target, path, options.connections, options.loadWarmupMs, signal, () => undefined);
  const before = meter?.snapshot();
  const measured = await load(
    target,
    path,
    options.connections,
    options.durationMs,
    signal,
    record,
  );
  const after = meter?.snapshot();
  signal.throwIfAborted();
  if (meter && before && after) measured.cpu = CpuMeter.use(before, after, measured.requests);

  return {
    queries: [...queries].sort((a, b) => a - b),
    sequential: summarize(latencies),
    dbMs: mean(db),
    appMs: mean(app),
    load: measured,
    bytes: last.body.length,
    body: JSON.parse(last.body.toString('utf8')) as unknown,
  };
}

async function expectOk(target: HttpTarget, path: string): Promise<HttpReply> {
  const reply = await target.send('GET', path);
  if (reply.status !== 200) {
    const hint =
      reply.status === 429
        ? ' (rate limited: the bench sets RATE_LIMIT_MULTIPLIER=1000000; check the rate-limit settings)'
        : '';
    throw new Error(
      `GET ${path} answered ${reply.status}${hint}: ${reply.body.toString('utf8').slice(0, 300)}`,
    );
  }
  return reply;
}

/** `connections` workers, each sending its next request as soon as the last one is answered. */
async function load(
  target: HttpTarget,
  path: string,
  connections: number,
  durationMs: number,
  signal: AbortSignal,
  record: (reply: HttpReply) => void,
): Promise<LoadResult> {
  const latencies: number[] = [];
  let errors = 0;
  const started = performance.now();
  const deadline = started + durationMs;
  const worker = async () => {
    while (performance.now() < deadline && !signal.aborted) {
      try {
        const reply = await target.send('GET', path);
        if (reply.status === 200) {
          latencies.push(reply.ms);
          record(reply);
        } else {
          errors += 1;
        }
      } catch {
        errors += 1;
      }
    }
  };
  await Promise.all(Array.from({ length: connections }, worker));
  const elapsedMs = performance.now() - started;
  return {
    requests: latencies.length,
    errors,
    rps: latencies.length / (elapsedMs / 1000),
    elapsedMs,
    latency: summarize(latencies),
    cpu: undefined,
  };
}

/** JSON with object keys sorted, so two answers compare equal whatever their key order. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(
          Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1)),
        )
      : v,
  );
}
