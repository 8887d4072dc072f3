import type { GoalStatus } from './enums.js';
import type { RealtimeStats } from './realtime.js';

/** Every optimization that can be switched off (OPTIMIZATIONS=all | none | a comma list to keep). */
export const OPTIMIZATION_DESCRIPTIONS = {
  batching:
    'Batched reads: top-N steps per process in one LATERAL query, settings of all agents in one IN-list, the dashboard in 3 queries, keyset pagination (off: a query per process/agent/part, OFFSET pagination)',
  'workspace-cache':
    'Workspace metadata and membership checks served from a two-tier cache (in-process LRU+TTL, Redis), invalidated by domain events (off: every lookup queries the database)',
  'response-cache':
    'The dashboard aggregate, agent lists and quota status served from the cache until a write invalidates them (off: computed on every request)',
  'display-cache':
    'Deliverable display content is transformed once, stored with the hashes it was made from, and served from the database (off: transformed on every read, one after another, nothing stored)',
  'display-queue':
    'Display content is made behind the read path: writes enqueue the deliverable and a bounded worker pool drains the queue once across instances, so a read answers at once from what is stored, pending with a local fallback meanwhile (off, display-cache on: a read transforms what is missing or stale and waits for it, up to AI_TIMEOUT_MS)',
  'goal-monitor-backoff':
    'Goals are checked within seconds of a relevant event, and otherwise on a per-workspace interval that doubles while nothing changes (off: every workspace re-checked on a fixed 20-minute cycle, events ignored)',
  compression:
    'JSON answers of 1 KB or more compressed with brotli (quality 3) or gzip as Accept-Encoding asks, by @fastify/compress (off: every answer sent uncompressed)',
} as const;
export type OptimizationName = keyof typeof OPTIMIZATION_DESCRIPTIONS;
export const OPTIMIZATION_NAMES = Object.keys(OPTIMIZATION_DESCRIPTIONS) as OptimizationName[];

export interface OptimizationState {
  name: OptimizationName;
  enabled: boolean;
  description: string;
}

export interface RateLimitState {
  tier: string;
  limit: number;
  windowSeconds: number;
}

export interface OptimizationsResponse {
  optimizations: OptimizationState[];
  /** The active limits (each configurable; RATE_LIMIT_MULTIPLIER scales them all, never to off). */
  rateLimits: RateLimitState[];
}

export interface StatementStats {
  /** The SQL with literals replaced by `?`. */
  sql: string;
  count: number;
  totalMs: number;
  meanMs: number;
  p95Ms: number;
  maxMs: number;
}

export interface DatabaseMetrics {
  /** Round trips since start. */
  queries: number;
  /** Statements over DB_SLOW_QUERY_MS since start. */
  slowQueries: number;
  slowQueryThresholdMs: number;
  pool: { max: number; total: number; idle: number; waiting: number };
  /** The statements with the highest p95, slowest first. */
  slowestStatements: StatementStats[];
}

/** One route template and method since this process started. */
export interface RouteMetrics {
  method: string;
  /** The template (`/api/agents/:id`), never the raw URL; `(unmatched)` for no route. */
  route: string;
  count: number;
  /** Answers with a 5xx status. */
  errors: number;
  /** Answers with a 4xx status. */
  clientErrors: number;
  meanMs: number;
  /** Percentiles from a log-bucketed histogram: within 9% above the exact value, never above maxMs. */
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  maxMs: number;
  /** Database round trips per request, on average. */
  meanDbQueries: number;
}

export interface HttpMetrics {
  requests: number;
  errors: number;
  /** Every route that has answered, by route then method. */
  routes: RouteMetrics[];
  /** The 10 routes with the highest p95, slowest first. */
  slowestRoutes: RouteMetrics[];
}

export interface ProcessMetrics {
  rssBytes: number;
  heapUsedBytes: number;
  heapTotalBytes: number;
  /** How late timers ran, sampled every 20 ms since start (perf_hooks.monitorEventLoopDelay). */
  eventLoopLagMs: { p50: number; p99: number; max: number };
  /** The startup steps and how long each took (ms), as logged at start; empty in tests. */
  startup: Record<string, number>;
}

/** A JSON value: what a module's figures may be made of. */
export type JsonValue =
  string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/**
 * GET /api/performance/metrics for an operator: every figure of this instance,
 * whatever workspace it comes from.
 */
export interface PerformanceMetrics {
  scope: 'instance';
  uptimeSeconds: number;
  http: HttpMetrics;
  process: ProcessMetrics;
  database: DatabaseMetrics;
  realtime: RealtimeStats;
  goalMonitor: GoalMonitorStats;
  /** Requests this instance answered 429, by rate-limit tier, since start. */
  rateLimited: Record<string, number>;
  /** Figures other modules contribute (their name -> their figures), see docs/observability.md. */
  modules: Record<string, JsonValue>;
}

/** What one workspace's members may see about it. */
export interface WorkspacePerformance {
  workspaceId: string;
  name: string;
  /** Figures modules contribute about this workspace, by module name. */
  figures: Record<string, JsonValue>;
}

/**
 * GET /api/performance/metrics for a member who is not an operator: figures
 * about the workspaces the caller belongs to, nothing instance-wide.
 */
export interface WorkspacesPerformanceMetrics {
  scope: 'workspaces';
  uptimeSeconds: number;
  workspaces: WorkspacePerformance[];
}

export type PerformanceMetricsResponse = PerformanceMetrics | WorkspacesPerformanceMetrics;

/** What made a goal check due. */
export type GoalCheckTrigger = 'event' | 'schedule';

/**
 * The goal monitor (docs/goal-monitor.md). Counters count since this process
 * started and only go up; every check runs on exactly one instance, so the
 * sums over the instances are the totals.
 */
export interface GoalMonitorStats {
  /** false when GOAL_MONITOR_ENABLED=false: nothing below moves. */
  enabled: boolean;
  /** backoff: event-triggered checks and per-workspace backoff; fixed: the 20-minute baseline cycle. */
  mode: 'backoff' | 'fixed';
  checks: {
    /** Checks that evaluated at least one goal, by what made them due. */
    run: Record<GoalCheckTrigger, number>;
    /** Due checks that found nothing to evaluate (no goals, or every goal paused). */
    skipped: number;
    /** Checks that failed and were rolled back; each is retried after the minimum interval. */
    failed: number;
  };
  /** Goals the monitor moved to another status, by the new status. */
  statusChanges: Record<GoalStatus, number>;
  events: {
    /** Agent, deliverable and thinking-step events that arrived at this instance. */
    received: number;
    /** Absorbed by a check already requested here (debounced): no database write. */
    coalesced: number;
    /** Could not change any goal's verdict (an agent no goal watches, a step while nothing is stalled). */
    ignored: number;
    /** Requested a check: one UPDATE each. */
    requested: number;
  };
  /** From the first event of a request to the start of the check that covered it. */
  eventToCheckSeconds: { count: number; sum: number; max: number };
  /** Claim queries this instance ran, idle ones included. */
  polls: number;
  /** Workspaces per current backoff interval, across every instance (read from the database). */
  intervals: { intervalSeconds: number; workspaces: number }[];
}

export interface DisplayContentStats {
  provider: string;
  model: string;
  transformVersion: string;
  /** Provider calls made (each HTTP attempt with the openai adapter). */
  aiCalls: number;
  /** Deliverables served from stored display content instead of a call. */
  aiCallsSaved: number;
  transformations: number;
  failures: number;
  /** Transformations not attempted because the workspace's daily AI quota was used up. */
  quotaBlocked: number;
  estimatedCostSavedUsd: number;
  /** The display queue (null when `display-queue` is off). */
  queue: DisplayQueueStats | null;
}

/** Backpressure of the display queue: the depth and age across instances, rates of this one. */
export interface DisplayQueueStats {
  /** Jobs waiting or running, every instance's. */
  depth: number;
  /** Jobs due now and not leased by a worker. */
  due: number;
  /** Jobs a worker holds right now. */
  running: number;
  /** Jobs waiting for their workspace's next quota day. */
  quotaBlocked: number;
  /** Jobs waiting to retry after failed attempts. */
  failing: number;
  /** Age of the oldest job, in seconds (0 when empty). */
  oldestJobAgeSeconds: number;
  /** This instance's workers: finished transformations in the last 60 s. */
  transformsLastMinute: number;
  /** This instance's workers: busy slots of AI_CONCURRENCY. */
  workersBusy: number;
  concurrency: number;
}

export interface CacheStatsEntry {
  enabled: boolean;
  hits: number;
  misses: number;
  /** hits / (hits + misses), 0..1. */
  hitRate: number;
  /** Entries pushed out by the LRU bound. */
  evictions: number;
  expirations: number;
  /** Entries found stale (an invalidation moved a tag) or loads not stored because of one. */
  staleDiscarded: number;
  size: number;
  maxEntries: number;
  ttlSeconds: number;
}

export interface CacheStats {
  tiers: ('memory' | 'redis')[];
  caches: Record<string, CacheStatsEntry>;
}

export interface CacheStatsResponse extends CacheStats {
  displayContent: DisplayContentStats;
}

export interface CacheCleanupResponse {
  /** Expired in-process entries dropped, per cache. */
  removed: Record<string, number>;
  total: number;
}
