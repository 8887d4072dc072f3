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
import { ApiOk } from '../../infra/http/openapi/responses.js';
import {
  CacheCleanupResponseDto,
  CacheStatsResponseDto,
  OptimizationsResponseDto,
  PerformanceMetricsDto,
} from './performance.response.js';

@ApiTags('performance')
@ApiBearerAuth()
@Controller('performance')
export class PerformanceController {
  constructor(private readonly performance: PerformanceService) {}

  @ApiOk(OptimizationsResponseDto, {
    description: 'The optimization switches and active rate limits',
  })
  @Authenticated()
  @Get('optimizations')
  optimizations(): OptimizationsResponse {
    return this.performance.optimizations();
  }

  @ApiOk(CacheStatsResponseDto, {
    description: 'Hit rates per cache and the display-content counters',
  })
  @Authenticated()
  @Get('cache-stats')
  cacheStats(): CacheStatsResponse {
    return this.performance.cacheStats();
  }

  @ApiOk(CacheCleanupResponseDto, { description: 'Expired in-process entries dropped' })
  @Authenticated()
  @Post('cache/cleanup')
  @HttpCode(200)
  cleanup(): CacheCleanupResponse {
    return this.performance.cleanup();
  }

  @ApiOk(PerformanceMetricsDto, {
    description: 'Database, realtime and goal-monitor figures of this instance',
  })
  @Authenticated()
  @Get('metrics')
  metrics(): Promise<PerformanceMetrics> {
    return this.performance.metrics();
  }
}
