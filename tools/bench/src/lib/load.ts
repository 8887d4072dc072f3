import { Client } from 'undici';
import { summarize, type LatencySummary } from './stats.js';

/**
 * The load generator: a closed loop of connections (each sends its next
 * request when the last one is answered), in this process, over undici (the
 * HTTP client Node's own fetch is built on; one keep-alive connection per
 * loop). When the time is up no new request starts and the ones in flight are
 * waited for (up to their timeout) and counted, so a slow request is measured
 * rather than dropped. autocannon, the usual choice, destroys its connections
 * when its duration ends: the requests in flight are lost, and they are the
 * slowest ones (a long request is more likely to be in flight at any instant),
 * so a slow baseline read loses its tail, and in a short round all of it. On
 * this machine undici costs the same CPU per request as autocannon (~45 µs
 * against a bare server).
 */

export interface Request {
  method: 'GET' | 'POST' | 'PATCH';
  path: string;
  headers?: Record<string, string>;
  /** JSON-encoded by `send`. */
  body?: unknown;
}

/** What one load phase saw, before CPU is added. */
export interface Load {
  /** 2xx answers. */
  requests: number;
  /** Non-2xx answers, failed requests and timeouts. */
  errors: number;
  timeouts: number;
  elapsedMs: number;
  rps: number;
  latency: LatencySummary;
  /** X-DB-Queries: the mean over the 2xx answers that carried it, and the values seen. */
  queriesPerRequest: number | undefined;
  queriesSeen: number[];
  /** 2xx answers completed in each second of the phase (for the limiter's drift). */
  perSecond: number[];
}

/** One request of a loop, as its caller made and judged it. */
export interface Outcome {
  /** The request class (the mixed workload's; "all" otherwise). */
  cls: string;
  ok: boolean;
  timedOut?: boolean;
  /** Client-side milliseconds from sending to the last byte. */
  ms: number;
  queries?: number;
  /** Why it failed, e.g. "agent-status: 409". */
  problem?: string;
}

/** `n` keep-alive connections to `origin`, one request at a time each. */
export function connect(origin: string, n: number, timeoutMs: number): Client[] {
  return Array.from(
    { length: n },
    () =>
      new Client(origin, {
        pipelining: 1,
        headersTimeout: timeoutMs,
        bodyTimeout: timeoutMs,
        keepAliveTimeout: 60_000,
      }),
  );
}

export async function disconnect(clients: Client[]): Promise<void> {
  await Promise.all(clients.map((c) => c.destroy().catch(() => undefined)));
}

/** One request; the body is read and dropped. A 2xx is `ok`; anything else says what it was. */
export async function send(client: Client, request: Request, cls = 'all'): Promise<Outcome> {
  const started = performance.now();
  const headers: Record<string, string> = { accept: 'application/json', ...request.headers };
  let body: string | undefined;
  if (request.body !== undefined) {
    body = JSON.stringify(request.body);
    headers['content-type'] = 'application/json';
  }
  try {
    const reply = await client.request({
      method: request.method,
      path: request.path,
      headers,
      body,
    });
    await reply.body.dump({ limit: Number.MAX_SAFE_INTEGER });
    const ms = performance.now() - started;
    const ok = reply.statusCode >= 200 && reply.statusCode <= 299;
    const q = reply.headers['x-db-queries'];
    return {
      cls,
      ok,
      ms,
      queries: typeof q === 'string' ? Number(q) : undefined,
      problem: ok ? undefined : `${cls}: ${reply.statusCode}`,
    };
  } catch (error) {
    const code = (error as { code?: string } | null)?.code ?? '';
    const timedOut = code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT';
    const message = error instanceof Error ? error.message : String(error);
    return {
      cls,
      ok: false,
      ms: performance.now() - started,
      timedOut,
      problem: `${cls}: ${timedOut ? 'timed out' : message}`,
    };
  }
}

export interface LoopResult {
  total: Load;
  byClass: Map<string, Load>;
  problems: Map<string, number>;
}

interface Acc {
  ms: number[];
  errors: number;
  timeouts: number;
  queries: number[];
  perSecond: number[];
}

const empty = (): Acc => ({ ms: [], errors: 0, timeouts: 0, queries: [], perSecond: [] });

/** `loops` loops for `durationMs`, each calling `step(loop)` until the time is up. */
export async function closedLoop(
  loops: number,
  durationMs: number,
  step: (loop: number) => Promise<Outcome>,
  signal: AbortSignal,
): Promise<LoopResult> {
  signal.throwIfAborted();
  const total = empty();
  const byClass = new Map<string, Acc>();
  const problems = new Map<string, number>();
  const started = performance.now();
  const deadline = started + durationMs;
  const record = (acc: Acc, o: Outcome, second: number) => {
    if (o.ok) {
      acc.ms.push(o.ms);
      acc.perSecond[second] = (acc.perSecond[second] ?? 0) + 1;
      if (o.queries !== undefined && Number.isFinite(o.queries)) acc.queries.push(o.queries);
    } else {
      acc.errors += 1;
      if (o.timedOut) acc.timeouts += 1;
    }
  };
  await Promise.all(
    Array.from({ length: loops }, async (_, loop) => {
      while (performance.now() < deadline && !signal.aborted) {
        const o = await step(loop);
        const second = Math.floor((performance.now() - started) / 1000);
        let acc = byClass.get(o.cls);
        if (!acc) byClass.set(o.cls, (acc = empty()));
        record(total, o, second);
        record(acc, o, second);
        if (o.problem) problems.set(o.problem, (problems.get(o.problem) ?? 0) + 1);
      }
    }),
  );
  signal.throwIfAborted();
  const elapsedMs = performance.now() - started;
  const toLoad = (acc: Acc): Load => ({
    requests: acc.ms.length,
    errors: acc.errors,
    timeouts: acc.timeouts,
    elapsedMs,
    rps: acc.ms.length / (elapsedMs / 1000),
    latency: summarize(acc.ms),
    queriesPerRequest:
      acc.queries.length > 0
        ? acc.queries.reduce((a, b) => a + b, 0) / acc.queries.length
        : undefined,
    queriesSeen: [...new Set(acc.queries)].sort((a, b) => a - b),
    perSecond: Array.from(acc.perSecond, (n) => n ?? 0),
  });
  return {
    total: toLoad(total),
    byClass: new Map([...byClass].map(([cls, acc]) => [cls, toLoad(acc)])),
    problems,
  };
}

/** The same request on `connections` connections for `durationMs`. */
export async function hammer(
  origin: string,
  request: Request,
  options: { connections: number; durationMs: number; timeoutMs: number },
  signal: AbortSignal,
): Promise<Load> {
  const clients = connect(origin, options.connections, options.timeoutMs);
  try {
    const result = await closedLoop(
      options.connections,
      options.durationMs,
      (i) => send(clients[i], request),
      signal,
    );
    return result.total;
  } finally {
    await disconnect(clients);
  }
}
