import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { QuotaCheck, QuotaNotifications, QuotaStatus, QuotaUsage } from '@orch/contracts';
import { RateLimit } from '../../infra/throttling/rate-limit.decorators.js';
import { CurrentAccess, type WorkspaceAccess, WorkspaceScoped } from '../auth/access.decorators.js';
import { QuotaQueryDto } from './dto/quota.dto.js';
import { QuotaService } from './quota.service.js';

const scoped = () => WorkspaceScoped('workspace', { param: 'workspaceId', from: 'query' });

/** Each endpoint has its own rate limit (status 20, check 10, usage 15, notifications 30 a minute). */
@ApiTags('quota')
@ApiBearerAuth()
@Controller('quota')
export class QuotaController {
  constructor(private readonly quota: QuotaService) {}

  @scoped()
  @RateLimit('quota-status')
  @Get('status')
  status(
    @CurrentAccess() access: WorkspaceAccess,
    @Query() _q: QuotaQueryDto,
  ): Promise<QuotaStatus> {
    return this.quota.status(access.workspaceId);
  }

  @scoped()
  @RateLimit('quota-check')
  @Get('check')
  check(@CurrentAccess() access: WorkspaceAccess, @Query() _q: QuotaQueryDto): Promise<QuotaCheck> {
    return this.quota.check(access.workspaceId);
  }

  @scoped()
  @RateLimit('quota-usage')
  @Get('usage')
  usage(@CurrentAccess() access: WorkspaceAccess, @Query() _q: QuotaQueryDto): Promise<QuotaUsage> {
    return this.quota.usage(access.workspaceId);
  }

  @scoped()
  @RateLimit('quota-notifications')
  @Get('notifications')
  notifications(
    @CurrentAccess() access: WorkspaceAccess,
    @Query() _q: QuotaQueryDto,
  ): Promise<QuotaNotifications> {
    return this.quota.notifications(access.workspaceId);
  }
}
