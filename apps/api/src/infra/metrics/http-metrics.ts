import type { HttpMetrics as HttpMetricsDto, RouteMetrics } from '@orch/contracts';
import { LatencyHistogram } from './latency-histogram.js';

/** Prometheus buckets of http_request_duration_seconds (seconds). */
export const DURATION_BUCKETS = [
  0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5,
];
/** Prometheus buckets of http_request_db_queries (round trips per request). */
export const QUERY_BUCKETS = [0, 1, 2, 3, 5, 8, 13, 21, 50];

/** Requests that matched no route share one template, so the table stays bounded. */
export const UNMATCHED_ROUTE = '(unmatched)';

/** One status code's share of a route: what http_request_duration_seconds exposes. */
export interface StatusSeries {
  /** Non-cumulative counts per DURATION_BUCKETS bound, and one more for +Inf. */
  readonly buckets: Float64Array;
  sumSeconds: number;
  count: number;
}

function bucketOf(bounds: readonly number[], value: number): number {
  let i = 0;
  while (i < bounds.length && value > bounds[i]!) i++;
  return i;
}

/**
 * Everything measured about one route template and method. Bounded: one fine latency
 * histogram (for the percentiles), a series per status code the route answered, and a
 * query-count histogram. `record` is synchronous arithmetic, no allocation once the
 * status has been seen.
 */
export class RouteRecorder {
  readonly latency = new LatencyHistogram();
  readonly byStatus = new Map<number, StatusSeries>();
  readonly queryBuckets = new Float64Array(QUERY_BUCKETS.length + 1);
  errors = 0;
  clientErrors = 0;
  queries = 0;

  constructor(
    readonly method: string,
    readonly route: string,
  ) {}

  record(status: number, ms: number, queries: number): void {
    this.latency.record(ms);
    if (status >= 500) this.errors += 1;
    else if (status >= 400) this.clientErrors += 1;
    this.queries += queries;
    this.queryBuckets[bucketOf(QUERY_BUCKETS, queries)] += 1;
    let series = this.byStatus.get(status);
    if (series === undefined) {
      series = { buckets: new Float64Array(DURATION_BUCKETS.length + 1), sumSeconds: 0, count: 0 };
      this.byStatus.set(status, series);
    }
    const seconds = ms / 1000;
    series.buckets[bucketOf(DURATION_BUCKETS, seconds)] += 1;
    series.sumSeconds += seconds;
    series.count += 1;
  }

  snapshot(): RouteMetrics {
    const h = this.latency;
    return {
      method: this.method,
      route: this.route,
      count: h.count,
      errors: this.errors,
      clientErrors: this.clientErrors,
      meanMs: round(h.count === 0 ? 0 : h.sumMs / h.count),
      p50Ms: round(h.percentile(0.5)),
      p95Ms: round(h.percentile(0.95)),
      p99Ms: round(h.percentile(0.99)),
      maxMs: round(h.maxMs),
      meanDbQueries: round(h.count === 0 ? 0 : this.queries / h.count),
    };
  }
}

/**
 * Per route template (never the raw URL: `/api/agents/:id`, not one row per id), so the
 * table has one row per declared route and method, plus UNMATCHED_ROUTE. Filled by the
 * hooks in infra/http/route-metrics.ts; read by /api/performance/metrics and /metrics.
 */
export class HttpRouteMetrics {
  private readonly routes = new Map<string, RouteRecorder>();

  /** The recorder of a route; made once, when the route is registered (or first unmatched). */
  recorder(method: string, route: string): RouteRecorder {
    const key = `${method} ${route}`;
    let recorder = this.routes.get(key);
    if (!recorder) {
      recorder = new RouteRecorder(method, route);
      this.routes.set(key, recorder);
    }
    return recorder;
  }

  all(): Iterable<RouteRecorder> {
    return this.routes.values();
  }

  snapshot(slowest = 10): HttpMetricsDto {
    const routes = [...this.routes.values()]
      .filter((r) => r.latency.count > 0)
      .map((r) => r.snapshot())
      .sort((a, b) => a.route.localeCompare(b.route) || a.method.localeCompare(b.method));
    return {
      requests: routes.reduce((n, r) => n + r.count, 0),
      errors: routes.reduce((n, r) => n + r.errors, 0),
      routes,
      slowestRoutes: [...routes]
        .sort((a, b) => b.p95Ms - a.p95Ms || b.maxMs - a.maxMs)
        .slice(0, slowest),
    };
  }
}

function round(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}
