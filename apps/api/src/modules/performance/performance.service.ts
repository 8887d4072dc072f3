import { Injectable } from '@nestjs/common';
import type {
  CacheStatsResponse,
  OptimizationsResponse,
  PerformanceMetrics,
} from '@orch/contracts';
import { DisplayContentService } from '../deliverables/display-content/display-content.service.js';
import { QueryAccounting } from '../../infra/database/query-accounting.js';
import { Optimizations } from '../../infra/optimizations/optimizations.js';

@Injectable()
export class PerformanceService {
  constructor(
    private readonly switches: Optimizations,
    private readonly queries: QueryAccounting,
    private readonly display: DisplayContentService,
  ) {}

  cacheStats(): CacheStatsResponse {
    return { displayContent: this.display.stats() };
  }

  optimizations(): OptimizationsResponse {
    return { optimizations: this.switches.list() };
  }

  metrics(): PerformanceMetrics {
    return { uptimeSeconds: Math.round(process.uptime()), database: this.queries.metrics() };
  }
}
