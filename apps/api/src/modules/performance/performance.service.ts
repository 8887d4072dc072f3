import { Injectable } from '@nestjs/common';
import type { OptimizationsResponse, PerformanceMetrics } from '@orch/contracts';
import { QueryAccounting } from '../../infra/database/query-accounting.js';
import { Optimizations } from '../../infra/optimizations/optimizations.js';

@Injectable()
export class PerformanceService {
  constructor(
    private readonly switches: Optimizations,
    private readonly queries: QueryAccounting,
  ) {}

  optimizations(): OptimizationsResponse {
    return { optimizations: this.switches.list() };
  }

  metrics(): PerformanceMetrics {
    return { uptimeSeconds: Math.round(process.uptime()), database: this.queries.metrics() };
  }
}
