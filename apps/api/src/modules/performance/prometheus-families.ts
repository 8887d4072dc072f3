import { Injectable, type OnModuleInit } from '@nestjs/common';
import { CacheService } from '../../infra/cache/cache.service.js';
import { AppConfig } from '../../infra/config/app-config.js';
import { QueryAccounting } from '../../infra/database/query-accounting.js';
import { PrometheusMetrics, type Samples } from '../../infra/metrics/prometheus.js';
import { RateLimitCounters } from '../../infra/throttling/rate-limit-counters.js';
import { DisplayContentService } from '../deliverables/display-content/display-content.service.js';
import { GoalMonitorService } from '../goals/monitor/goal-monitor.service.js';
import { RealtimeGateway } from '../realtime/realtime.gateway.js';

/**
 * The families GET /metrics exposes besides HTTP and the process: each read from the
 * figures its owner already keeps, when Prometheus scrapes, never on a request's path.
 * The names are the ones docs/observability.md, the dashboard and the alert rules use
 * (deploy/; test/integration/prometheus.spec.ts checks that every name they query exists).
 */
@Injectable()
export class PrometheusFamilies implements OnModuleInit {
  constructor(
    private readonly prometheus: PrometheusMetrics,
    private readonly queries: QueryAccounting,
    private readonly cache: CacheService,
    private readonly rateLimits: RateLimitCounters,
    private readonly display: DisplayContentService,
    private readonly realtime: RealtimeGateway,
    private readonly goalMonitor: GoalMonitorService,
    private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    const p = this.prometheus;
    const db = () => this.queries.metrics();
    p.gauge('db_pool_connections', 'Database pool connections by state', ['state'], () => {
      const { pool } = db();
      return [
        [{ state: 'in_use' }, pool.total - pool.idle],
        [{ state: 'idle' }, pool.idle],
        [{ state: 'waiting' }, pool.waiting],
      ];
    });
    p.gauge('db_pool_max', 'Largest number of connections the pool opens (DB_POOL_MAX)', [], () => [
      [{}, this.config.pool.max],
    ]);
    p.counter('db_queries_total', 'Database round trips', [], () => [[{}, db().queries]]);
    p.counter('db_slow_queries_total', 'Statements slower than DB_SLOW_QUERY_MS', [], () => [
      [{}, db().slowQueries],
    ]);

    p.counter('cache_lookups_total', 'Cache lookups by cache and result', ['cache', 'result'], () =>
      Object.entries(this.cache.stats().caches).flatMap(([cache, c]): Samples => [
        [{ cache, result: 'hit' }, c.hits],
        [{ cache, result: 'miss' }, c.misses],
      ]),
    );

    p.counter('http_rate_limited_total', 'Requests answered 429 by rate-limit tier', ['tier'], () =>
      Object.entries(this.rateLimits.limited).map(([tier, n]) => [{ tier }, n]),
    );

    p.counter('ai_calls_total', 'AI provider calls made (each HTTP attempt)', [], () => [
      [{}, this.display.totals().aiCalls],
    ]);
    p.counter(
      'ai_calls_saved_total',
      'Deliverables served from stored display content instead of an AI call',
      [],
      () => [[{}, this.display.totals().aiCallsSaved]],
    );
    p.counter(
      'ai_quota_blocked_total',
      'Transformations not attempted because the workspace daily AI quota was used up',
      [],
      () => [[{}, this.display.totals().quotaBlocked]],
    );

    p.gauge('websocket_connections', 'WebSocket connections open on this instance', [], () => [
      [{}, this.realtime.registry.size],
    ]);
    p.gauge(
      'websocket_connections_limit',
      'Most WebSocket connections allowed across the instances (WS_MAX_TOTAL)',
      [],
      () => [[{}, this.config.realtime.maxTotal]],
    );
    p.counter(
      'websocket_rejections_total',
      'WebSocket connections refused by reason',
      ['reason'],
      async () => {
        const stats = await this.realtime.stats();
        return Object.entries(stats.rejected).map(([reason, n]) => [{ reason }, n]);
      },
    );

    p.counter(
      'goal_monitor_checks_total',
      'Goal checks by what made them due (run), plus skipped and failed ones',
      ['outcome'],
      async () => {
        const { checks } = await this.goalMonitor.stats();
        return [
          [{ outcome: 'event' }, checks.run.event],
          [{ outcome: 'schedule' }, checks.run.schedule],
          [{ outcome: 'skipped' }, checks.skipped],
          [{ outcome: 'failed' }, checks.failed],
        ];
      },
    );
  }
}
