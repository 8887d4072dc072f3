import { CpuMeter, type CpuUse } from './cpu.js';
import { hammer, type Load, type Request } from './load.js';
import { hammerWithWrk, wrkAvailable } from './wrk.js';
import { type Spread, spread } from './stats.js';

/**
 * Every side of a scenario, measured in alternating rounds (A B C A B C: the
 * baseline, the optimized API, its ceilings), each round with the same
 * connections and duration, so a change in what else runs on the machine
 * weighs on every side alike. Figures are the median of the rounds with their
 * min-max.
 */

/** baseline / optimized: the API; ceiling: bare Fastify, the same bytes; ceiling-sql: bare Fastify + pg, the same SQL. */
export type Side = 'baseline' | 'optimized' | 'ceiling' | 'ceiling-sql';

export interface Leg {
  side: Side;
  origin: string;
  request: Request;
  /** CPU of the process under test and of PostgreSQL. */
  meter: CpuMeter;
  /** Calls the fake AI provider has received from this side so far. */
  aiCalls?: () => number;
}

export interface RoundSettings {
  connections: number;
  durationMs: number;
  /** Unmeasured load per side before the first round. */
  warmupMs: number;
  rounds: number;
  /** A request unanswered after this long counts as an error (a timeout). */
  timeoutMs: number;
  /**
   * `wrk`: GET reads go through wrk when it is installed (fast reads, against the ceiling:
   * the load generator must cost less than the server). Default undici, which also counts
   * the requests still in flight when the time is up (slow reads, the mixed workload).
   */
  generator?: 'wrk' | 'undici';
}

export interface LegRound extends Load {
  cpu: CpuUse | undefined;
  /** Cores the load generator (this process) kept busy, e.g. 0.6. */
  clientCores: number;
  aiCallsPerRequest: number | undefined;
}

export interface LegSummary {
  rps: Spread;
  p50: Spread;
  p95: Spread;
  p99: Spread;
  apiUs: Spread;
  pgUs: Spread;
  clientUs: Spread;
  clientCores: Spread;
  queries: Spread;
  aiCalls: Spread;
  requests: number;
  errors: number;
  timeouts: number;
  queriesSeen: number[];
}

export interface LegResult {
  side: Side;
  rounds: LegRound[];
  summary: LegSummary;
}

/**
 * Which load generator drives a leg. The baseline stays on undici: its reads take up to
 * seconds, wrk drops the requests in flight when its time is up, and a short round would
 * see none complete; what the load generator costs matters against the ceiling, not there.
 */
export function generatorOf(side: Side, request: Request, s: RoundSettings): 'wrk' | 'undici' {
  return s.generator === 'wrk' && side !== 'baseline' && request.method === 'GET' && wrkAvailable()
    ? 'wrk'
    : 'undici';
}

function once(leg: Leg, s: RoundSettings, durationMs: number, signal: AbortSignal) {
  const options = { connections: s.connections, durationMs, timeoutMs: s.timeoutMs };
  return generatorOf(leg.side, leg.request, s) === 'wrk'
    ? hammerWithWrk(leg.origin, leg.request, options, signal)
    : hammer(leg.origin, leg.request, options, signal);
}

export async function measureRound(
  leg: Leg,
  s: RoundSettings,
  signal: AbortSignal,
  durationMs = s.durationMs,
): Promise<LegRound> {
  const aiBefore = leg.aiCalls?.();
  const before = leg.meter.snapshot();
  const load = await once(leg, s, durationMs, signal);
  const after = leg.meter.snapshot();
  const aiAfter = leg.aiCalls?.();
  const completed = load.requests + load.errors;
  return {
    ...load,
    cpu: CpuMeter.use(before, after, load.requests),
    clientCores: (after.clientMs - before.clientMs) / Math.max(1, after.at - before.at),
    aiCallsPerRequest:
      aiBefore === undefined || aiAfter === undefined || completed === 0
        ? undefined
        : (aiAfter - aiBefore) / completed,
  };
}

export async function alternate(
  legs: Leg[],
  s: RoundSettings,
  signal: AbortSignal,
  onRound: (side: Side, round: number, r: LegRound) => void,
): Promise<LegResult[]> {
  if (s.warmupMs > 0) {
    for (const leg of legs) await once(leg, s, s.warmupMs, signal);
  }
  const rounds = new Map<Side, LegRound[]>(legs.map((l) => [l.side, []]));
  for (let round = 0; round < s.rounds; round++) {
    for (const leg of legs) {
      const r = await measureRound(leg, s, signal);
      rounds.get(leg.side)!.push(r);
      onRound(leg.side, round, r);
    }
  }
  return legs.map((leg) => {
    const rs = rounds.get(leg.side)!;
    return { side: leg.side, rounds: rs, summary: summarizeRounds(rs) };
  });
}

export function summarizeRounds(rs: LegRound[]): LegSummary {
  return {
    rps: spread(rs.map((r) => r.rps)),
    p50: spread(rs.map((r) => r.latency.p50)),
    p95: spread(rs.map((r) => r.latency.p95)),
    p99: spread(rs.map((r) => r.latency.p99)),
    apiUs: spread(rs.map((r) => r.cpu?.apiUs)),
    pgUs: spread(rs.map((r) => r.cpu?.pgUs)),
    clientUs: spread(rs.map((r) => r.cpu?.clientUs)),
    clientCores: spread(rs.map((r) => r.clientCores)),
    queries: spread(rs.map((r) => r.queriesPerRequest)),
    aiCalls: spread(rs.map((r) => r.aiCallsPerRequest)),
    requests: rs.reduce((n, r) => n + r.requests, 0),
    errors: rs.reduce((n, r) => n + r.errors, 0),
    timeouts: rs.reduce((n, r) => n + r.timeouts, 0),
    queriesSeen: [...new Set(rs.flatMap((r) => r.queriesSeen))].sort((a, b) => a - b),
  };
}
