import { Controller, Get, Param, Patch, Post } from '@nestjs/common';
import { Body, Query } from '../../infra/http/validation.js';
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
import { ApiErrors, ApiOk } from '../../infra/http/openapi/responses.js';
import {
  AppendStepsResponseDto,
  ThinkingProcessDto,
  ThinkingProcessWithStepsPageDto,
  ThinkingStepDto,
  ThinkingStepPageDto,
} from './dto/thinking.response.js';

@ApiTags('thinking')
@ApiBearerAuth()
@Controller()
export class ThinkingController {
  constructor(private readonly thinking: ThinkingService) {}

  @ApiOk(ThinkingProcessWithStepsPageDto, {
    description: 'Recent processes, most recent first, each with its latest steps',
  })
  @ApiErrors(400)
  @WorkspaceScoped('workspace')
  @Get('workspaces/:id/thinking')
  listRecent(
    @CurrentAccess() access: WorkspaceAccess,
    @Query() query: ThinkingQueryDto,
  ): Promise<Page<ThinkingProcessWithSteps>> {
    return this.thinking.listRecentWithSteps(access.workspaceId, query);
  }

  @ApiOk(ThinkingProcessDto, { status: 201, description: 'The process, started' })
  @ApiErrors([409, 'The agent is terminated (AGENT_TERMINATED)'])
  @WorkspaceScoped('workspace')
  @Post('workspaces/:id/thinking')
  start(
    @CurrentAccess() access: WorkspaceAccess,
    @Body() dto: StartThinkingDto,
  ): Promise<ThinkingProcess> {
    return this.thinking.start(access.workspaceId, dto);
  }

  @ApiOk(ThinkingProcessDto, { description: 'The process' })
  @WorkspaceScoped('thinkingProcess', { param: 'processId' })
  @Get('thinking/:processId')
  get(@Param('processId') processId: string): Promise<ThinkingProcess> {
    return this.thinking.get(processId);
  }

  @ApiOk(ThinkingProcessDto, { description: 'The process, updated' })
  @ApiErrors([409, 'The process is closed (THINKING_PROCESS_CLOSED)'])
  @WorkspaceScoped('thinkingProcess', { param: 'processId' })
  @Patch('thinking/:processId')
  update(
    @Param('processId') processId: string,
    @Body() dto: UpdateThinkingProcessDto,
  ): Promise<ThinkingProcess> {
    return this.thinking.update(processId, dto);
  }

  @ApiOk(ThinkingStepPageDto, { description: 'One page of the process’s steps' })
  @ApiErrors(400)
  @WorkspaceScoped('thinkingProcess', { param: 'processId' })
  @Get('thinking/:processId/steps')
  listSteps(
    @Param('processId') processId: string,
    @Query() query: PageQueryDto,
  ): Promise<Page<ThinkingStep>> {
    return this.thinking.listSteps(processId, pageRequest(query));
  }

  @ApiOk(AppendStepsResponseDto, { status: 201, description: 'The steps, stored in one statement' })
  @ApiErrors([409, 'The process is closed (THINKING_PROCESS_CLOSED)'])
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

  @ApiOk(ThinkingStepDto, { status: 201, description: 'The step, appended' })
  @ApiErrors([409, 'The process is closed (THINKING_PROCESS_CLOSED)'])
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
