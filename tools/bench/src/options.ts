import { parseArgs } from 'node:util';
import type { RealtimeSettings } from './scenarios/realtime/run.js';
import { PROVIDER_MS, USERS } from './scenarios/mixed/mix.js';
import type { RoundSettings } from './lib/rounds.js';

/** Every phase of a run, in order; `--only` picks some. */
export const PHASES = ['reads', 'limiter', 'mixed', 'realtime', 'scale'] as const;
export type Phase = (typeof PHASES)[number];

/** How long and how hard each phase runs: the full run, or the short one CI runs. */
export interface Profile {
  reads: RoundSettings;
  slowReads: RoundSettings;
  drift: { durationS: number; windowS: number; connections: number };
  /** The mix itself is scenarios/mixed/mix.ts; quick runs it with fewer users in fewer workspaces. */
  mixed: {
    rounds: number;
    durationMs: number;
    users: number;
    workspaces: number;
    /** The provider latencies the mix runs at, one run each (`--provider-ms` picks one). */
    providerMs: number[];
  };
  realtime: RealtimeSettings;
  scale: { points: number[]; rounds: RoundSettings };
}

const FULL: Profile = {
  reads: {
    connections: 16,
    durationMs: 8_000,
    warmupMs: 2_000,
    rounds: 3,
    timeoutMs: 10_000,
    generator: 'wrk',
  },
  slowReads: {
    connections: 4,
    durationMs: 10_000,
    warmupMs: 0,
    rounds: 3,
    timeoutMs: 60_000,
  },
  drift: { durationS: 30, windowS: 5, connections: 16 },
  // The seed systems' AI latencies: 300 ms, and their slowest provider's 2 s.
  mixed: { rounds: 3, durationMs: 20_000, users: USERS, workspaces: 19, providerMs: [300, 2_000] },
  realtime: {
    small: 1_000,
    large: 5_000,
    broadcastClients: 1_000,
    broadcasts: 30,
    cycles: 5_000,
    concurrency: 50,
  },
  scale: {
    points: [10_000, 100_000, 1_000_000, 10_000_000],
    rounds: {
      connections: 1,
      durationMs: 3_000,
      warmupMs: 500,
      rounds: 3,
      timeoutMs: 10_000,
    },
  },
};

/** Every scenario, briefly: it proves the harness works, not what the figures are. */
const QUICK: Profile = {
  // Fewer connections than the full run: less queueing, so a short round sees several
  // baseline requests complete even on a busy machine.
  reads: {
    connections: 4,
    durationMs: 600,
    warmupMs: 150,
    rounds: 2,
    timeoutMs: 10_000,
    generator: 'wrk',
  },
  slowReads: {
    connections: 4,
    durationMs: 600,
    warmupMs: 0,
    rounds: 2,
    timeoutMs: 60_000,
  },
  drift: { durationS: 4, windowS: 1, connections: 16 },
  mixed: { rounds: 1, durationMs: 3_000, users: 20, workspaces: 4, providerMs: [PROVIDER_MS] },
  realtime: {
    small: 200,
    large: 500,
    broadcastClients: 200,
    broadcasts: 8,
    cycles: 300,
    concurrency: 50,
  },
  scale: {
    points: [10_000, 50_000],
    rounds: {
      connections: 1,
      durationMs: 500,
      warmupMs: 200,
      rounds: 2,
      timeoutMs: 10_000,
    },
  },
};

export interface Options {
  quick: boolean;
  profile: Profile;
  phases: Phase[];
  /** Read scenarios to run (all when empty). */
  reads: string[];
  providerMs: number;
  out: string | undefined;
  timeoutMs: number;
  /** The node binary the servers under test run on (the APIs, the seed, the ceiling). */
  node: string | undefined;
}

export const USAGE = `One benchmark harness: every optimization, baseline against optimized against
this machine's ceiling, in one run.

Usage: npm run bench -- [options]
       node dist/tools/bench/src/main.js [options]

  --quick              every scenario, briefly (CI; under 3 minutes)
  --out <dir>          write benchmarks.json and benchmarks.md there
                       (default docs/: docs/benchmarks.md and docs/benchmarks.json,
                       and the README's headline rows)
  --only <list>        phases and/or read scenarios, comma-separated:
                       ${PHASES.join(', ')}, or a read's name (e.g. dashboard,thinking)
  --provider-ms <ms>   the fake AI provider's latency per call   (default ${PROVIDER_MS}; the
                       full run's mix runs at ${FULL.mixed.providerMs.join(' and ')})
  --scale-points <n,…> thinking steps of the scale curve's points
                       (default ${FULL.scale.points.join(',')}; quick ${QUICK.scale.points.join(',')})
  --timeout <s>        give up (and clean up) after              (default 7200, quick 600)
  --node <path>        run the APIs, the seed and the ceiling on this node binary
                       (default: the one running the harness), e.g. to compare Node
                       releases on one build
  -h, --help

Database: DATABASE_URL (a scratch database bench_<random> on that server,
dropped at the end), else a throw-away embedded PostgreSQL. REDIS_URL, when
set, is passed to both API processes. DB_POOL_MAX is passed on.
`;

export function parseOptions(argv: string[], readNames: readonly string[]): Options | undefined {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      quick: { type: 'boolean', default: false },
      out: { type: 'string' },
      only: { type: 'string' },
      'provider-ms': { type: 'string' },
      'scale-points': { type: 'string' },
      timeout: { type: 'string' },
      node: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(USAGE);
    return undefined;
  }
  const only = (values.only ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const unknown = only.filter(
    (n) => !(PHASES as readonly string[]).includes(n) && !readNames.includes(n),
  );
  if (unknown.length > 0) {
    throw new Error(
      `--only: unknown ${unknown.join(', ')}; known: ${[...PHASES, ...readNames].join(', ')}`,
    );
  }
  const reads = only.filter((n) => readNames.includes(n));
  const phases = PHASES.filter(
    (p) => only.length === 0 || only.includes(p) || (p === 'reads' && reads.length > 0),
  );
  let profile = values.quick ? QUICK : FULL;
  if (values['scale-points'] !== undefined) {
    const points = values['scale-points']
      .split(',')
      .map((p) => Math.round(numberFlag('scale-points', p.trim(), 100, 100_000_000)));
    profile = { ...profile, scale: { ...profile.scale, points } };
  }
  if (values['provider-ms'] !== undefined) {
    const one = Math.round(numberFlag('provider-ms', values['provider-ms'], 0, 60_000));
    profile = { ...profile, mixed: { ...profile.mixed, providerMs: [one] } };
  }
  return {
    quick: values.quick,
    profile,
    phases,
    reads,
    providerMs:
      values['provider-ms'] === undefined
        ? PROVIDER_MS
        : Math.round(numberFlag('provider-ms', values['provider-ms'], 0, 60_000)),
    out: values.out,
    timeoutMs:
      numberFlag('timeout', values.timeout ?? (values.quick ? '600' : '7200'), 30, 86_400) * 1000,
    node: values.node,
  };
}

/** A numeric command-line flag, checked: `--flag` must be a number from min to max. */
export function numberFlag(flag: string, raw: string, min: number, max: number): number {
  const value = Number(raw);
  if (!Number.isFinite(value) || value < min || value > max) {
    throw new Error(`--${flag} must be a number from ${min} to ${max} (got "${raw}")`);
  }
  return value;
}
