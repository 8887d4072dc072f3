import { Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type {
  CacheCleanupResponse,
  CacheStatsResponse,
  OptimizationsResponse,
  PerformanceMetrics,
} from '@orch/contracts';
import { Authenticated } from '../auth/access.decorators.js';
import { PerformanceService } from './performance.service.js';

@ApiTags('performance')
@ApiBearerAuth()
@Controller('performance')
export class PerformanceController {
  constructor(private readonly performance: PerformanceService) {}

  @Authenticated()
  @Get('optimizations')
  optimizations(): OptimizationsResponse {
    return this.performance.optimizations();
  }

  @Authenticated()
  @Get('cache-stats')
  cacheStats(): Promise<CacheStatsResponse> {
    return this.performance.cacheStats();
  }

  @Authenticated()
  @Post('cache/cleanup')
  @HttpCode(200)
  cleanup(): CacheCleanupResponse {
    return this.performance.cleanup();
  }

  @Authenticated()
  @Get('metrics')
  metrics(): Promise<PerformanceMetrics> {
    return this.performance.metrics();
  }
}
