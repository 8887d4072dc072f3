import type { DriftResult } from '../scenarios/limiter/run.js';
import type { ReadResult } from '../scenarios/measure-reads.js';
import type { MixedResult } from '../scenarios/mixed/run.js';
import type { RealtimeResult } from '../scenarios/realtime/run.js';
import type { ScalePoint } from '../scenarios/scale/run.js';
import type { Profile } from '../options.js';

/** Everything a run measured: written as JSON, rendered as docs/benchmarks.md. */
export interface RunResult {
  meta: RunMeta;
  reads?: ReadResult[];
  drift?: DriftResult;
  /** One run of the mix per provider latency. */
  mixed?: MixedResult[];
  realtime?: RealtimeResult;
  scale?: ScalePoint[];
}

export interface RunMeta {
  /** ISO 8601, UTC. */
  date: string;
  command: string;
  quick: boolean;
  runMs: number;
  machine: { cpu: string; cores: number; system: string; memoryGiB: number };
  node: string;
  postgres: string;
  database: string;
  redis: boolean;
  poolMax: number;
  providerMs: number;
  /** The load generator of the fast reads against the optimized API and the ceilings. */
  readsGenerator: 'wrk' | 'undici';
  /** 1-minute load average when the measurements began and ended. */
  loadAverage: [number, number];
  /** What the optimized API reported switched on (GET /api/performance/optimizations). */
  optimizations: string[];
  /** The rate limits the APIs ran with, as they reported them. */
  rateLimits: { tier: string; limit: number }[];
  dataset: string[];
  profile: Profile;
}
