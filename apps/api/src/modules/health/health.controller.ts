import { Controller, Get, Res } from '@nestjs/common';
import { ApiResponse, ApiTags } from '@nestjs/swagger';
import type { HealthResponse } from '@orch/contracts';
import type { FastifyReply } from 'fastify';
import { DatabaseHealth } from '../../infra/database/database.health.js';
import { NoRateLimit } from '../../infra/throttling/rate-limit.decorators.js';
import { Public } from '../auth/access.decorators.js';
import { ApiOk } from '../../infra/http/openapi/responses.js';
import { HealthResponseDto } from './health.response.js';

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(private readonly database: DatabaseHealth) {}

  @ApiOk(HealthResponseDto, { description: 'Every dependency answers' })
  @ApiResponse({ status: 503, description: 'A dependency is down', type: HealthResponseDto })
  /** 200 when every dependency answers, 503 otherwise (for load balancers). */
  @Public()
  @NoRateLimit()
  @Get()
  async check(@Res({ passthrough: true }) reply: FastifyReply): Promise<HealthResponse> {
    const database = await this.database.check();
    const ok = database.status === 'up';
    void reply.status(ok ? 200 : 503);
    return {
      status: ok ? 'ok' : 'error',
      uptimeSeconds: Math.round(process.uptime()),
      checks: { database },
    };
  }
}
