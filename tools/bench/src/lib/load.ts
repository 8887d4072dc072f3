import type { IncomingHttpHeaders } from 'node:http';
import autocannon from 'autocannon';
import { summarize, type LatencySummary } from './stats.js';

/**
 * The two load generators of the harness, both closed loops (each connection
 * or user sends its next request when the last one is answered):
 *
 * - `cannon`: autocannon, programmatic, in this process. For the fast reads,
 *   where the load generator's own CPU decides how much is left for the
 *   server: it costs far less per request than a Node http.Agent client.
 * - `closedLoop`: a loop of users over node:http, for requests that take
 *   seconds (the AI provider on) and for the mixed workload, where each
 *   request is chosen and checked by the caller. When the time is up no new
 *   request starts, and the ones in flight are waited for (up to their
 *   timeout), so a slow request is measured instead of dropped.
 */

export interface Request {
  method: 'GET' | 'POST' | 'PATCH';
  path: string;
  headers?: Record<string, string>;
  body?: string;
}

/** What one load phase saw, before CPU is added. */
export interface Load {
  /** 2xx answers. */
  requests: number;
  /** Non-2xx answers, socket errors and timeouts. */
  errors: number;
  timeouts: number;
  elapsedMs: number;
  rps: number;
  latency: LatencySummary;
  /** X-DB-Queries: the mean over the 2xx answers that carried it, and the values seen. */
  queriesPerRequest: number | undefined;
  queriesSeen: number[];
  /** 2xx answers per second of the phase (for the limiter's drift). */
  perSecond: number[];
}

/** Reads X-DB-Queries out of http-parser-js's raw header list (name, value, name, value...). */
function queriesHeader(raw: unknown): number | undefined {
  if (!Array.isArray(raw)) return undefined;
  for (let i = 0; i < raw.length - 1; i += 2) {
    const name = raw[i] as string;
    if (name.length === 12 && name.toLowerCase() === 'x-db-queries') return Number(raw[i + 1]);
  }
  return undefined;
}

export function cannon(
  origin: string,
  request: Request,
  options: { connections: number; durationMs: number; timeoutMs: number },
  signal: AbortSignal,
): Promise<Load> {
  signal.throwIfAborted();
  const latencies: number[] = [];
  const perSecond: number[] = [];
  const queries = { sum: 0, count: 0, seen: new Set<number>() };
  let errors = 0;
  let started = 0;
  const onHeaders = (parsed: { headers?: unknown; statusCode?: number }) => {
    if (parsed.statusCode === undefined || parsed.statusCode < 200 || parsed.statusCode > 299)
      return;
    const n = queriesHeader(parsed.headers);
    if (n === undefined || !Number.isFinite(n)) return;
    queries.sum += n;
    queries.count += 1;
    queries.seen.add(n);
  };
  return new Promise<Load>((resolve, reject) => {
    const instance = autocannon(
      {
        url: origin,
        connections: options.connections,
        duration: options.durationMs / 1000,
        timeout: Math.max(1, Math.ceil(options.timeoutMs / 1000)),
        // autocannon checks for the end of the duration on this interval (default 1 s, so a
        // 0.5 s phase would last a second).
        sampleInt: 100,
        method: request.method,
        headers: request.headers,
        body: request.body,
        requests: [{ method: request.method, path: request.path }],
        // The client's 'headers' event carries http-parser-js's parse (status and the raw
        // header list), not the IncomingHttpHeaders its type declares.
        setupClient: (client) =>
          client.on('headers', onHeaders as unknown as (headers: IncomingHttpHeaders) => void),
      },
      (error, result) => {
        signal.removeEventListener('abort', onAbort);
        if (error) return reject(error as Error);
        if (signal.aborted) return reject(signal.reason as Error);
        const elapsedMs = result.duration * 1000 || performance.now() - started;
        resolve({
          requests: latencies.length,
          errors: errors + result.errors,
          timeouts: result.timeouts,
          elapsedMs,
          rps: latencies.length / (elapsedMs / 1000),
          latency: summarize(latencies),
          queriesPerRequest: queries.count > 0 ? queries.sum / queries.count : undefined,
          queriesSeen: [...queries.seen].sort((a, b) => a - b),
          perSecond: Array.from(perSecond, (n) => n ?? 0),
        });
      },
    );
    started = performance.now();
    instance.on('response', (_client, statusCode, _bytes, responseTime) => {
      if (statusCode >= 200 && statusCode <= 299) {
        latencies.push(responseTime);
        const second = Math.floor((performance.now() - started) / 1000);
        perSecond[second] = (perSecond[second] ?? 0) + 1;
      } else {
        errors += 1;
      }
    });
    const onAbort = () => instance.stop();
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/** One request of a closed-loop user, as its caller made and judged it. */
export interface Outcome {
  /** The request class (the mixed workload's; "all" otherwise). */
  cls: string;
  ok: boolean;
  timedOut?: boolean;
  /** Client-side milliseconds from sending to the last byte. */
  ms: number;
  queries?: number;
  /** Why it failed, e.g. "PATCH agent: 409". */
  problem?: string;
}

export interface LoopResult {
  total: Load;
  byClass: Map<string, Load>;
  problems: Map<string, number>;
}

export async function closedLoop(
  users: number,
  durationMs: number,
  step: (user: number) => Promise<Outcome>,
  signal: AbortSignal,
): Promise<LoopResult> {
  signal.throwIfAborted();
  interface Acc {
    ms: number[];
    errors: number;
    timeouts: number;
    queries: number[];
    perSecond: number[];
  }
  const empty = (): Acc => ({ ms: [], errors: 0, timeouts: 0, queries: [], perSecond: [] });
  const total = empty();
  const byClass = new Map<string, Acc>();
  const problems = new Map<string, number>();
  const started = performance.now();
  const deadline = started + durationMs;
  const record = (acc: Acc, o: Outcome, second: number) => {
    if (o.ok) {
      acc.ms.push(o.ms);
      acc.perSecond[second] = (acc.perSecond[second] ?? 0) + 1;
      if (o.queries !== undefined) acc.queries.push(o.queries);
    } else {
      acc.errors += 1;
      if (o.timedOut) acc.timeouts += 1;
    }
  };
  await Promise.all(
    Array.from({ length: users }, async (_, user) => {
      while (performance.now() < deadline && !signal.aborted) {
        const o = await step(user);
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
  const toLoad = (acc: Acc): Load => {
    const seen = [...new Set(acc.queries)].sort((a, b) => a - b);
    return {
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
      queriesSeen: seen,
      perSecond: Array.from(acc.perSecond, (n) => n ?? 0),
    };
  };
  return {
    total: toLoad(total),
    byClass: new Map([...byClass].map(([cls, acc]) => [cls, toLoad(acc)])),
    problems,
  };
}
