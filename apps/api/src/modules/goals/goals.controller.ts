import { Controller, Get, Param, Patch, Post } from '@nestjs/common';
import { Body, Query } from '../../infra/http/validation.js';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Goal, Page } from '@orch/contracts';
import { PageQueryDto, pageRequest } from '../../infra/http/pagination.js';
import { CurrentAccess, type WorkspaceAccess, WorkspaceScoped } from '../auth/access.decorators.js';
import { CreateGoalDto, UpdateGoalDto } from './dto/goal.dto.js';
import { GoalsService } from './goals.service.js';
import { ApiErrors, ApiOk } from '../../infra/http/openapi/responses.js';
import { GoalDto, GoalPageDto } from './dto/goal.response.js';

@ApiTags('goals')
@ApiBearerAuth()
@Controller()
export class GoalsController {
  constructor(private readonly goals: GoalsService) {}

  @ApiOk(GoalPageDto, { description: 'One page of the workspace’s goals' })
  @ApiErrors(400)
  @WorkspaceScoped('workspace')
  @Get('workspaces/:id/goals')
  list(
    @CurrentAccess() access: WorkspaceAccess,
    @Query() query: PageQueryDto,
  ): Promise<Page<Goal>> {
    return this.goals.list(access.workspaceId, pageRequest(query));
  }

  @ApiOk(GoalDto, { status: 201, description: 'The goal, created' })
  @WorkspaceScoped('workspace')
  @Post('workspaces/:id/goals')
  create(@CurrentAccess() access: WorkspaceAccess, @Body() dto: CreateGoalDto): Promise<Goal> {
    return this.goals.create(access.workspaceId, dto);
  }

  @ApiOk(GoalDto, { description: 'The goal' })
  @WorkspaceScoped('goal')
  @Get('goals/:id')
  get(@Param('id') id: string): Promise<Goal> {
    return this.goals.get(id);
  }

  @ApiOk(GoalDto, { description: 'The goal, updated' })
  @WorkspaceScoped('goal')
  @Patch('goals/:id')
  update(
    @CurrentAccess() access: WorkspaceAccess,
    @Param('id') id: string,
    @Body() dto: UpdateGoalDto,
  ): Promise<Goal> {
    return this.goals.update(access.workspaceId, id, dto);
  }
}
