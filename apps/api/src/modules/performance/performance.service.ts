import { Injectable } from '@nestjs/common';
import type {
  CacheCleanupResponse,
  CacheStatsResponse,
  OptimizationsResponse,
  PerformanceMetrics,
  PerformanceMetricsResponse,
  WorkspacesPerformanceMetrics,
} from '@orch/contracts';
import { DisplayContentService } from '../deliverables/display-content/display-content.service.js';
import { CacheService } from '../../infra/cache/cache.service.js';
import { AppConfig } from '../../infra/config/app-config.js';
import { RATE_LIMIT_TIERS } from '../../infra/throttling/rate-limit.decorators.js';
import { RealtimeGateway } from '../realtime/realtime.gateway.js';
import { GoalMonitorService } from '../goals/monitor/goal-monitor.service.js';
import { QueryAccounting } from '../../infra/database/query-accounting.js';
import { FigureProviders } from '../../infra/metrics/figure-providers.js';
import { HttpRouteMetrics } from '../../infra/metrics/http-metrics.js';
import { ProcessMetrics } from '../../infra/metrics/process-metrics.js';
import { Optimizations } from '../../infra/optimizations/optimizations.js';
import { RateLimitCounters } from '../../infra/throttling/rate-limit-counters.js';
import { DomainException } from '../../core/domain.exception.js';
import { ErrorCode } from '@orch/contracts';
import { Operators } from '../auth/operators.js';
import { WorkspacesService } from '../workspaces/workspaces.service.js';

/** A member sees at most this many of their workspaces (the most recent first). */
const MEMBER_WORKSPACES = 100;

@Injectable()
export class PerformanceService {
  constructor(
    private readonly switches: Optimizations,
    private readonly queries: QueryAccounting,
    private readonly display: DisplayContentService,
    private readonly config: AppConfig,
    private readonly realtime: RealtimeGateway,
    private readonly cache: CacheService,
    private readonly goalMonitor: GoalMonitorService,
    private readonly figures: FigureProviders,
    private readonly operators: Operators,
    private readonly workspaces: WorkspacesService,
    private readonly http: HttpRouteMetrics,
    private readonly process: ProcessMetrics,
    private readonly rateLimits: RateLimitCounters,
  ) {}

  async cacheStats(): Promise<CacheStatsResponse> {
    return { ...this.cache.stats(), displayContent: await this.display.stats() };
  }

  cleanup(): CacheCleanupResponse {
    const removed = this.cache.cleanup();
    return { removed, total: Object.values(removed).reduce((a, b) => a + b, 0) };
  }

  optimizations(): OptimizationsResponse {
    const limits = this.config.rateLimits.perMinute;
    return {
      optimizations: this.switches.list(),
      rateLimits: RATE_LIMIT_TIERS.map((tier) => ({
        tier,
        limit: limits[tier],
        windowSeconds: 60,
      })),
    };
  }

  /**
   * An operator gets every figure of the instance; a member, figures about the workspaces
   * they belong to; anyone else the 404 of an unknown route (`path`).
   */
  async metricsFor(userId: string, path: string): Promise<PerformanceMetricsResponse> {
    if (await this.operators.isOperator(userId)) return this.metrics();
    const member = await this.memberMetrics(userId);
    if (member.workspaces.length === 0) {
      throw new DomainException(ErrorCode.NotFound, `Cannot GET ${path}`);
    }
    return member;
  }

  async metrics(): Promise<PerformanceMetrics> {
    return {
      scope: 'instance',
      uptimeSeconds: Math.round(process.uptime()),
      http: this.http.snapshot(),
      process: this.process.snapshot(),
      database: this.queries.metrics(),
      realtime: await this.realtime.stats(),
      goalMonitor: await this.goalMonitor.stats(),
      rateLimited: { ...this.rateLimits.limited },
      modules: await this.figures.instance(),
    };
  }

  private async memberMetrics(userId: string): Promise<WorkspacesPerformanceMetrics> {
    const page = await this.workspaces.listForUser(userId, {
      limit: MEMBER_WORKSPACES,
      after: undefined,
    });
    const workspaces = [];
    for (const workspace of page.items) {
      workspaces.push({
        workspaceId: workspace.id,
        name: workspace.name,
        figures: await this.figures.workspace(workspace.id),
      });
    }
    return { scope: 'workspaces', uptimeSeconds: Math.round(process.uptime()), workspaces };
  }
}
