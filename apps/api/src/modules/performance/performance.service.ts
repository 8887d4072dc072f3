import { Injectable } from '@nestjs/common';
import type {
  CacheCleanupResponse,
  CacheStatsResponse,
  OptimizationsResponse,
  PerformanceMetrics,
} from '@orch/contracts';
import { DisplayContentService } from '../deliverables/display-content/display-content.service.js';
import { CacheService } from '../../infra/cache/cache.service.js';
import { AppConfig } from '../../infra/config/app-config.js';
import { RATE_LIMIT_TIERS } from '../../infra/throttling/rate-limit.decorators.js';
import { RealtimeGateway } from '../realtime/realtime.gateway.js';
import { GoalMonitorService } from '../goals/monitor/goal-monitor.service.js';
import { QueryAccounting } from '../../infra/database/query-accounting.js';
import { Optimizations } from '../../infra/optimizations/optimizations.js';

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

  async metrics(): Promise<PerformanceMetrics> {
    return {
      uptimeSeconds: Math.round(process.uptime()),
      database: this.queries.metrics(),
      realtime: await this.realtime.stats(),
      goalMonitor: await this.goalMonitor.stats(),
    };
  }
}
