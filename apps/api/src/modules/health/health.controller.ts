import { Controller, Get, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { HealthResponse } from '@orch/contracts';
import type { FastifyReply } from 'fastify';
import { DatabaseHealth } from '../../infra/database/database.health.js';
import { NoRateLimit } from '../../infra/throttling/rate-limit.decorators.js';
import { Public } from '../auth/access.decorators.js';

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(private readonly database: DatabaseHealth) {}

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
