import type { Ceiling } from '../../ceiling/control.js';
import { HttpTarget } from '../../lib/http.js';
import { measureRound, type LegRound, type RoundSettings, type Side } from '../../lib/rounds.js';
import type { Context } from '../types.js';

export interface DriftSide {
  side: Side;
  /** 2xx answers in each second of the run. */
  perSecond: number[];
  /** Mean req/s over the first and the last `windowS` seconds. */
  first: number;
  last: number;
  round: LegRound;
}

export interface DriftResult {
  durationS: number;
  windowS: number;
  connections: number;
  sides: DriftSide[];
}

/**
 * Does the rate limiter's cost grow during a run? One long run of the cached
 * workspace read on the optimized API, by a user who has sent nothing before
 * (the limiter keeps its hits per user), and the same run against the bare
 * Fastify serving the same bytes, the control: the machine itself does not
 * slow down over 30 s. The req/s of the first and of the last seconds compared.
 */
export async function runDrift(
  ctx: Context,
  ceiling: Ceiling,
  s: { durationS: number; windowS: number; connections: number },
): Promise<DriftResult> {
  const api = ctx.apis.optimized;
  const email = 'limiter-drift@example.com';
  const client = new HttpTarget(new URL(api.origin), 1);
  let token: string;
  try {
    const auth = await client.json<{ accessToken: string }>('POST', '/api/auth/register', {
      email,
      password: 'bench-password',
      name: 'Limiter drift',
    });
    token = auth.accessToken;
  } finally {
    client.close();
  }
  await api.target.json('POST', `/api/workspaces/${ctx.main[0]}/members`, { email });
  const settings: RoundSettings = {
    connections: s.connections,
    durationMs: s.durationS * 1000,
    warmupMs: 0,
    rounds: 1,
    timeoutMs: 10_000,
    generator: 'wrk',
  };
  const headers = { accept: 'application/json', authorization: `Bearer ${token}` };
  const legs = [
    {
      side: 'optimized' as const,
      origin: api.origin,
      request: { method: 'GET' as const, path: `/api/workspaces/${ctx.main[0]}`, headers },
      meter: api.meter,
    },
    {
      side: 'ceiling' as const,
      origin: ceiling.origin,
      request: { method: 'GET' as const, path: '/bytes/workspace', headers },
      meter: ceiling.meter,
    },
  ];
  const sides: DriftSide[] = [];
  for (const leg of legs) {
    const round = await measureRound(leg, settings, ctx.signal);
    // Whole seconds only: the last bucket may be a fraction of one.
    const seconds = round.perSecond.slice(0, Math.floor(round.elapsedMs / 1000));
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
    sides.push({
      side: leg.side,
      perSecond: seconds,
      first: mean(seconds.slice(0, s.windowS)),
      last: mean(seconds.slice(-s.windowS)),
      round,
    });
  }
  return { durationS: s.durationS, windowS: s.windowS, connections: s.connections, sides };
}
