import { Controller, Get, HttpCode, Post, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type {
  CacheCleanupResponse,
  CacheStatsResponse,
  OptimizationsResponse,
  PerformanceMetricsResponse,
} from '@orch/contracts';
import type { FastifyRequest } from 'fastify';
import {
  type AuthContext,
  Authenticated,
  CurrentUser,
  Operator,
} from '../auth/access.decorators.js';
import { PerformanceService } from './performance.service.js';
import { ApiErrors, ApiOk } from '../../infra/http/openapi/responses.js';
import {
  CacheCleanupResponseDto,
  CacheStatsResponseDto,
  OptimizationsResponseDto,
} from './performance.response.js';
import {
  PerformanceMetricsDto,
  WorkspacesPerformanceMetricsDto,
} from './performance-metrics.response.js';

/**
 * Who sees what (docs/observability.md): the optimizations and limits in force are the
 * build's settings, the same for everyone; the cache figures and the cleanup span every
 * tenant, so they are an operator's; the metrics are an operator's in full and a member's
 * for their own workspaces.
 */
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
    description: 'Hit rates per cache and the display-content counters (an operator’s)',
  })
  @Operator()
  @Get('cache-stats')
  cacheStats(): Promise<CacheStatsResponse> {
    return this.performance.cacheStats();
  }

  @ApiOk(CacheCleanupResponseDto, {
    description: 'Expired in-process entries dropped (an operator’s)',
  })
  @Operator()
  @Post('cache/cleanup')
  @HttpCode(200)
  cleanup(): CacheCleanupResponse {
    return this.performance.cleanup();
  }

  @ApiOk([PerformanceMetricsDto, WorkspacesPerformanceMetricsDto], {
    description:
      'An operator: every figure of this instance (scope instance); a member: figures about their own workspaces (scope workspaces)',
  })
  @ApiErrors([404, 'Neither an operator nor a member of any workspace'])
  @Authenticated()
  @Get('metrics')
  metrics(
    @CurrentUser() user: AuthContext,
    @Req() request: FastifyRequest,
  ): Promise<PerformanceMetricsResponse> {
    return this.performance.metricsFor(user.userId, request.url.split('?')[0] ?? '');
  }
}
