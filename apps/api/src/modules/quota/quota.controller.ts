import { Controller, Get } from '@nestjs/common';
import { Query } from '../../infra/http/validation.js';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { QuotaCheck, QuotaNotifications, QuotaStatus, QuotaUsage } from '@orch/contracts';
import { RateLimit } from '../../infra/throttling/rate-limit.decorators.js';
import { CurrentAccess, type WorkspaceAccess, WorkspaceScoped } from '../auth/access.decorators.js';
import { QuotaQueryDto } from './dto/quota.dto.js';
import { QuotaService } from './quota.service.js';
import { ApiOk } from '../../infra/http/openapi/responses.js';
import {
  QuotaCheckDto,
  QuotaNotificationsDto,
  QuotaStatusDto,
  QuotaUsageDto,
} from './dto/quota.response.js';
import { type Awaitable } from '../../core/awaitable.js';

const scoped = () => WorkspaceScoped('workspace', { param: 'workspaceId', from: 'query' });

/** Each endpoint has its own rate limit (status 20, check 10, usage 15, notifications 30 a minute). */
@ApiTags('quota')
@ApiBearerAuth()
@Controller('quota')
export class QuotaController {
  constructor(private readonly quota: QuotaService) {}

  @ApiOk(QuotaStatusDto, { description: 'Today’s AI calls and what is left' })
  @scoped()
  @RateLimit('quota-status')
  @Get('status')
  status(
    @CurrentAccess() access: WorkspaceAccess,
    @Query() _q: QuotaQueryDto,
  ): Awaitable<QuotaStatus> {
    return this.quota.status(access.workspaceId);
  }

  @ApiOk(QuotaCheckDto, { description: 'Whether an AI call may go ahead now' })
  @scoped()
  @RateLimit('quota-check')
  @Get('check')
  check(@CurrentAccess() access: WorkspaceAccess, @Query() _q: QuotaQueryDto): Promise<QuotaCheck> {
    return this.quota.check(access.workspaceId);
  }

  @ApiOk(QuotaUsageDto, { description: 'AI calls per day, the last 30 days' })
  @scoped()
  @RateLimit('quota-usage')
  @Get('usage')
  usage(@CurrentAccess() access: WorkspaceAccess, @Query() _q: QuotaQueryDto): Promise<QuotaUsage> {
    return this.quota.usage(access.workspaceId);
  }

  @ApiOk(QuotaNotificationsDto, { description: 'Thresholds passed' })
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
