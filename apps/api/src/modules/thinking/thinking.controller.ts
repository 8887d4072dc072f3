import { Body, Controller, Get, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type {
  AppendStepsResponse,
  Page,
  ThinkingProcess,
  ThinkingProcessWithSteps,
  ThinkingStep,
} from '@orch/contracts';
import { PageQueryDto, pageRequest } from '../../infra/http/pagination.js';
import { RateLimit } from '../../infra/throttling/rate-limit.decorators.js';
import { CurrentAccess, type WorkspaceAccess, WorkspaceScoped } from '../auth/access.decorators.js';
import {
  AppendStepDto,
  AppendStepsDto,
  StartThinkingDto,
  ThinkingQueryDto,
  UpdateThinkingProcessDto,
} from './dto/thinking.dto.js';
import { ThinkingService } from './thinking.service.js';

@ApiTags('thinking')
@ApiBearerAuth()
@Controller()
export class ThinkingController {
  constructor(private readonly thinking: ThinkingService) {}

  @WorkspaceScoped('workspace')
  @Get('workspaces/:id/thinking')
  listRecent(
    @CurrentAccess() access: WorkspaceAccess,
    @Query() query: ThinkingQueryDto,
  ): Promise<Page<ThinkingProcessWithSteps>> {
    return this.thinking.listRecentWithSteps(access.workspaceId, query);
  }

  @WorkspaceScoped('workspace')
  @Post('workspaces/:id/thinking')
  start(
    @CurrentAccess() access: WorkspaceAccess,
    @Body() dto: StartThinkingDto,
  ): Promise<ThinkingProcess> {
    return this.thinking.start(access.workspaceId, dto);
  }

  @WorkspaceScoped('thinkingProcess', { param: 'processId' })
  @Get('thinking/:processId')
  get(@Param('processId') processId: string): Promise<ThinkingProcess> {
    return this.thinking.get(processId);
  }

  @WorkspaceScoped('thinkingProcess', { param: 'processId' })
  @Patch('thinking/:processId')
  update(
    @Param('processId') processId: string,
    @Body() dto: UpdateThinkingProcessDto,
  ): Promise<ThinkingProcess> {
    return this.thinking.update(processId, dto);
  }

  @WorkspaceScoped('thinkingProcess', { param: 'processId' })
  @Get('thinking/:processId/steps')
  listSteps(
    @Param('processId') processId: string,
    @Query() query: PageQueryDto,
  ): Promise<Page<ThinkingStep>> {
    return this.thinking.listSteps(processId, pageRequest(query));
  }

  @WorkspaceScoped('thinkingProcess', { param: 'processId' })
  @RateLimit('ingest')
  @Post('thinking/:processId/steps/bulk')
  async appendSteps(
    @CurrentAccess() access: WorkspaceAccess,
    @Param('processId') processId: string,
    @Body() dto: AppendStepsDto,
  ): Promise<AppendStepsResponse> {
    return { items: await this.thinking.appendSteps(access.workspaceId, processId, dto.steps) };
  }

  @WorkspaceScoped('thinkingProcess', { param: 'processId' })
  @RateLimit('ingest')
  @Post('thinking/:processId/steps')
  appendStep(
    @CurrentAccess() access: WorkspaceAccess,
    @Param('processId') processId: string,
    @Body() dto: AppendStepDto,
  ): Promise<ThinkingStep> {
    return this.thinking.appendStep(access.workspaceId, processId, dto);
  }
}
