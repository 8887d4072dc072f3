import {
  collectDefaultMetrics,
  Counter,
  Gauge,
  type Metric,
  type MetricValueWithName,
  Registry,
} from 'prom-client';
import {
  DURATION_BUCKETS,
  type HttpRouteMetrics,
  QUERY_BUCKETS,
  type RouteRecorder,
} from './http-metrics.js';

type Labels = Record<string, string>;

/** Default prom-client metrics `promtool check metrics` reports (non-counters ending in _total). */
const LINT_FAILURES = [
  'nodejs_active_handles_total',
  'nodejs_active_requests_total',
  'nodejs_active_resources_total',
];
type Values = MetricValueWithName<string>[];

/** A counter's or gauge's samples, read when Prometheus scrapes. */
export type Samples = [labels: Labels, value: number][];

/**
 * A histogram family built at scrape time from counts kept elsewhere (the route
 * recorders), so recording a request costs no prom-client call: prom-client's own
 * Histogram hashes its labels on every observe. The registry formats it like any other.
 */
class CollectedHistogram {
  readonly type = 'histogram';
  readonly aggregator = 'sum';

  constructor(
    readonly name: string,
    readonly help: string,
    private readonly read: () => Values,
  ) {}

  /** What Registry.metrics() reads of a metric to format it. */
  get(): { name: string; help: string; type: 'histogram'; aggregator: 'sum'; values: Values } {
    return {
      name: this.name,
      help: this.help,
      type: 'histogram',
      aggregator: 'sum',
      values: this.read(),
    };
  }
}

/** `_bucket` (cumulative, `le`), `_sum` and `_count` samples of one labelled series. */
function histogramValues(
  name: string,
  labels: Labels,
  bounds: readonly number[],
  counts: Float64Array,
  sum: number,
): Values {
  const values: Values = [];
  let cumulative = 0;
  for (let i = 0; i < bounds.length; i++) {
    cumulative += counts[i]!;
    values.push({
      metricName: `${name}_bucket`,
      labels: { ...labels, le: bounds[i]! },
      value: cumulative,
    });
  }
  cumulative += counts[bounds.length]!;
  values.push({
    metricName: `${name}_bucket`,
    labels: { ...labels, le: '+Inf' },
    value: cumulative,
  });
  values.push({ metricName: `${name}_sum`, labels, value: sum });
  values.push({ metricName: `${name}_count`, labels, value: cumulative });
  return values;
}

/**
 * This process's Prometheus registry (GET /metrics): Node's default process metrics, the
 * HTTP families from the route recorders, and whatever other code registers with
 * `counter` / `gauge`, each read from its owner's figures when Prometheus scrapes.
 */
export class PrometheusMetrics {
  readonly registry = new Registry();

  constructor(http: HttpRouteMetrics) {
    collectDefaultMetrics({ register: this.registry });
    // Gauges named like counters, which promtool's linter refuses; their per-type
    // breakdowns (nodejs_active_handles{type}, ...) stay.
    for (const name of LINT_FAILURES) this.registry.removeSingleMetric(name);
    const routes = (): RouteRecorder[] => [...http.all()];
    this.register(
      new CollectedHistogram(
        'http_request_duration_seconds',
        'Time from the request to the last byte of the answer, by route template, method and status',
        () =>
          routes().flatMap((r) =>
            [...r.byStatus].flatMap(([status, series]) =>
              histogramValues(
                'http_request_duration_seconds',
                { route: r.route, method: r.method, status: String(status) },
                DURATION_BUCKETS,
                series.buckets,
                series.sumSeconds,
              ),
            ),
          ),
      ),
    );
    this.register(
      new CollectedHistogram(
        'http_request_db_queries',
        'Database round trips per request, by route template and method',
        () =>
          routes()
            .filter((r) => r.latency.count > 0)
            .flatMap((r) =>
              histogramValues(
                'http_request_db_queries',
                { route: r.route, method: r.method },
                QUERY_BUCKETS,
                r.queryBuckets,
                r.queries,
              ),
            ),
      ),
    );
  }

  /**
   * A counter (name ends in `_total`) whose samples are read from `read` (which may be
   * async) at each scrape: the owner keeps the running total, this only reports it.
   */
  counter(
    name: string,
    help: string,
    labelNames: string[],
    read: () => Samples | Promise<Samples>,
  ): void {
    new Counter({
      name,
      help,
      labelNames,
      registers: [this.registry],
      async collect() {
        const samples = await read();
        this.reset();
        for (const [labels, value] of samples) this.inc(labels, value);
      },
    });
  }

  /** A gauge whose samples are read from `read` (which may be async) at each scrape. */
  gauge(
    name: string,
    help: string,
    labelNames: string[],
    read: () => Samples | Promise<Samples>,
  ): void {
    new Gauge({
      name,
      help,
      labelNames,
      registers: [this.registry],
      async collect() {
        const samples = await read();
        this.reset();
        for (const [labels, value] of samples) this.set(labels, value);
      },
    });
  }

  metrics(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  private register(metric: CollectedHistogram): void {
    this.registry.registerMetric(metric as unknown as Metric);
  }
}
