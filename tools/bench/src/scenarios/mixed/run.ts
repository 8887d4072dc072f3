import type { Api, ApiSide } from '../../lib/api.js';
import { CpuMeter, type CpuUse } from '../../lib/cpu.js';
import type { FakeProvider } from '../../lib/fake-provider.js';
import { HttpTarget } from '../../lib/http.js';
import { closedLoop, connect, disconnect, type Load, send } from '../../lib/load.js';
import { type Spread, spread } from '../../lib/stats.js';
import { untilDisplayed } from '../deliverables/scenario.js';
import type { Context } from '../types.js';
import {
  MIX,
  type MixClass,
  pickClass,
  prng,
  REQUEST_TIMEOUT_MS,
  requestFor,
  type UserFixture,
} from './mix.js';

export interface MixedSettings {
  rounds: number;
  durationMs: number;
  providerMs: number;
  /** USERS in the full run. */
  users: number;
  /** Main workspaces the users spread over (the first is left to the reads). */
  workspaces: number;
}

export interface MixedRound {
  total: Load;
  byClass: Record<string, Load>;
  problems: Record<string, number>;
  cpu: CpuUse | undefined;
  aiCalls: number;
  /** Per cache the API reports (GET /api/performance/cache-stats), hits and misses in the round. */
  caches: Record<string, { hits: number; misses: number }>;
}

export interface MixedSide {
  side: ApiSide;
  rounds: MixedRound[];
  rps: Spread;
  errorRate: Spread;
  apiUs: Spread;
  pgUs: Spread;
  aiCallsPerRequest: Spread;
  byClass: Record<
    string,
    { p50: Spread; p95: Spread; p99: Spread; errors: number; requests: number }
  >;
}

export interface MixedResult {
  users: number;
  providerMs: number;
  timeoutMs: number;
  mix: typeof MIX;
  sides: MixedSide[];
}

/** The mix's sides, in the order they take turns (`on-read` when the run started it). */
const MIXED_SIDES: readonly ApiSide[] = ['baseline', 'on-read', 'optimized'];

/** The users of a run, made once: every run of the mix (one per provider latency) reuses them. */
const madeUsers = new WeakMap<Context, UserFixture[]>();

/**
 * The users (USERS in the full run), registered through the API and added to the main workspaces
 * (spread evenly, the first workspace left to the reads), each with a running
 * thinking process of its own; then rounds of the mix, baseline and optimized
 * taking turns, every user replaying the same choices on both sides.
 */
export async function runMixed(
  ctx: Context,
  fake: FakeProvider,
  s: MixedSettings,
  onRound: (side: ApiSide, round: number, r: MixedRound) => void,
): Promise<MixedResult> {
  let users = madeUsers.get(ctx);
  if (!users) {
    users = await makeUsers(ctx, s.users, s.workspaces);
    madeUsers.set(ctx, users);
  }
  const sides = MIXED_SIDES.filter((side) => ctx.apis[side] !== undefined);
  const apiOf = (side: ApiSide): Api => {
    const api = ctx.apis[side];
    if (!api) throw new Error(`no ${side} API in this run`);
    return api;
  };
  // The optimized API's steady state: every workspace's first page of deliverables displayed
  // (made quickly, with the provider's latency at 0, then back to the measured latency).
  fake.delayMs = 0;
  for (const id of new Set(users.map((u) => u.workspaceId))) {
    await untilDisplayed(
      ctx.apis.optimized,
      `/api/workspaces/${id}/deliverables?limit=20`,
      ctx.signal,
    );
  }
  fake.delayMs = s.providerMs;

  const rounds = new Map<ApiSide, MixedRound[]>(sides.map((side) => [side, []]));
  for (let round = 0; round < s.rounds; round++) {
    for (const side of sides) {
      const r = await mixedRound(apiOf(side), users, round, s.durationMs, fake, ctx.signal);
      rounds.get(side)!.push(r);
      onRound(side, round, r);
    }
  }
  return {
    users: s.users,
    providerMs: s.providerMs,
    timeoutMs: REQUEST_TIMEOUT_MS,
    mix: MIX,
    sides: sides.map((side) => summarize(side, rounds.get(side)!)),
  };
}

async function mixedRound(
  api: Api,
  users: UserFixture[],
  round: number,
  durationMs: number,
  fake: FakeProvider,
  signal: AbortSignal,
): Promise<MixedRound> {
  const clients = connect(api.origin, users.length, REQUEST_TIMEOUT_MS);
  const randoms = users.map((_, i) => prng(1_000 * (round + 1) + i));
  const counters = users.map(() => 0);
  const aiBefore = fake.calls(api.aiKey);
  const cachesBefore = await cacheCounts(api);
  const before = api.meter.snapshot();
  try {
    const result = await closedLoop(
      users.length,
      durationMs,
      async (i) => {
        const random = randoms[i];
        const cls: MixClass = pickClass(random);
        const req = requestFor(
          cls,
          users[i],
          random,
          `${api.side[0]}${round}-${i}-${++counters[i]}`,
        );
        return send(
          clients[i],
          {
            method: req.method,
            path: req.path,
            body: req.body,
            headers: { authorization: `Bearer ${users[i].token}` },
          },
          cls,
        );
      },
      signal,
    );
    const after = api.meter.snapshot();
    const cachesAfter = await cacheCounts(api);
    const caches: MixedRound['caches'] = {};
    for (const [name, c] of Object.entries(cachesAfter)) {
      const b = cachesBefore[name] ?? { hits: 0, misses: 0 };
      caches[name] = { hits: c.hits - b.hits, misses: c.misses - b.misses };
    }
    return {
      caches,
      total: result.total,
      byClass: Object.fromEntries(result.byClass),
      problems: Object.fromEntries(result.problems),
      cpu: CpuMeter.use(before, after, result.total.requests),
      aiCalls: fake.calls(api.aiKey) - aiBefore,
    };
  } finally {
    await disconnect(clients);
  }
}

/** Hits and misses so far of every cache that is on; none for the baseline. */
async function cacheCounts(api: Api): Promise<Record<string, { hits: number; misses: number }>> {
  const stats = await api.target.json<{
    caches?: Record<string, { enabled?: boolean; hits?: number; misses?: number }>;
  }>('GET', '/api/performance/cache-stats');
  const out: Record<string, { hits: number; misses: number }> = {};
  for (const [name, c] of Object.entries(stats.caches ?? {})) {
    if (c.enabled && typeof c.hits === 'number' && typeof c.misses === 'number') {
      out[name] = { hits: c.hits, misses: c.misses };
    }
  }
  return out;
}

function summarize(side: ApiSide, rounds: MixedRound[]): MixedSide {
  const byClass: MixedSide['byClass'] = {};
  for (const { cls } of MIX) {
    const loads = rounds.map((r) => r.byClass[cls]).filter((l): l is Load => l !== undefined);
    byClass[cls] = {
      p50: spread(loads.map((l) => l.latency.p50)),
      p95: spread(loads.map((l) => l.latency.p95)),
      p99: spread(loads.map((l) => l.latency.p99)),
      errors: loads.reduce((n, l) => n + l.errors, 0),
      requests: loads.reduce((n, l) => n + l.requests, 0),
    };
  }
  return {
    side,
    rounds,
    rps: spread(rounds.map((r) => r.total.rps)),
    errorRate: spread(
      rounds.map((r) => r.total.errors / Math.max(1, r.total.errors + r.total.requests)),
    ),
    apiUs: spread(rounds.map((r) => r.cpu?.apiUs)),
    pgUs: spread(rounds.map((r) => r.cpu?.pgUs)),
    aiCallsPerRequest: spread(
      rounds.map((r) => r.aiCalls / Math.max(1, r.total.requests + r.total.errors)),
    ),
    byClass,
  };
}

interface Page<T> {
  items: T[];
}

/** Registers the users, adds each to its workspace, and starts a thinking process of its own. */
async function makeUsers(ctx: Context, count: number, spread: number): Promise<UserFixture[]> {
  const owner = ctx.apis.optimized.target;
  const workspaces = (ctx.main.length > 1 ? ctx.main.slice(1) : ctx.main).slice(0, spread);
  const agents = new Map<string, string[]>();
  for (const id of workspaces) {
    const page = await owner.json<Page<{ id: string; status: string }>>(
      'GET',
      `/api/workspaces/${id}/agents?view=lite&limit=100`,
    );
    // A terminated agent can't be changed (409): the status changes use the others.
    agents.set(
      id,
      page.items.filter((a) => a.status !== 'terminated').map((a) => a.id),
    );
  }
  const started = performance.now();
  const users: UserFixture[] = [];
  const client = new HttpTarget(new URL(ctx.apis.optimized.origin), 8);
  try {
    const make = async (i: number): Promise<UserFixture> => {
      const workspaceId = workspaces[i % workspaces.length];
      const email = `mixed-user-${i}@example.com`;
      const auth = await client.json<{ accessToken: string }>('POST', '/api/auth/register', {
        email,
        password: 'bench-password',
        name: `Mixed user ${i}`,
      });
      await owner.json('POST', `/api/workspaces/${workspaceId}/members`, { email });
      const agentIds = agents.get(workspaceId) ?? [];
      if (agentIds.length === 0) throw new Error(`workspace ${workspaceId} has no agent to use`);
      const me = new HttpTarget(new URL(ctx.apis.optimized.origin), 1);
      me.token = auth.accessToken;
      try {
        const process = await me.json<{ id: string }>(
          'POST',
          `/api/workspaces/${workspaceId}/thinking`,
          {
            agentId: agentIds[i % agentIds.length],
            title: `Mixed workload, user ${i}`,
          },
        );
        return { token: auth.accessToken, workspaceId, agentIds, processId: process.id };
      } finally {
        me.close();
      }
    };
    for (let i = 0; i < count; i += 8) {
      ctx.signal.throwIfAborted();
      const batch = Array.from({ length: Math.min(8, count - i) }, (_, k) => make(i + k));
      users.push(...(await Promise.all(batch)));
    }
  } finally {
    client.close();
  }
  ctx.log(
    `mixed: ${users.length} users registered over ${workspaces.length} workspaces ` +
      `(${Math.round(performance.now() - started)} ms)`,
  );
  return users;
}
