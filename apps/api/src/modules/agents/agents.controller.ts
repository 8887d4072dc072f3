import { Controller, Get, Param, Patch, Post } from '@nestjs/common';
import { Body, Query } from '../../infra/http/validation.js';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Agent, AgentLite, Page } from '@orch/contracts';
import type { CachedBody } from '../../infra/http/cached-body.js';
import { pageRequest } from '../../infra/http/pagination.js';
import { CurrentAccess, type WorkspaceAccess, WorkspaceScoped } from '../auth/access.decorators.js';
import { AgentsService } from './agents.service.js';
import { CreateAgentDto, ListAgentsQueryDto, UpdateAgentDto } from './dto/agent.dto.js';
import { ApiErrors, ApiOk } from '../../infra/http/openapi/responses.js';
import { AgentDto, AgentLitePageDto, AgentPageDto } from './dto/agent.response.js';
import { type Awaitable } from '../../core/awaitable.js';

@ApiTags('agents')
@ApiBearerAuth()
@Controller()
export class AgentsController {
  constructor(private readonly agents: AgentsService) {}

  @ApiOk([AgentPageDto, AgentLitePageDto], {
    description: 'One page of the workspace’s agents; `view=lite` gives `AgentLitePage`',
    conditional: true,
  })
  @ApiErrors(400)
  @WorkspaceScoped('workspace')
  @Get('workspaces/:id/agents')
  list(
    @CurrentAccess() access: WorkspaceAccess,
    @Query() query: ListAgentsQueryDto,
  ): Awaitable<CachedBody<Page<Agent>> | CachedBody<Page<AgentLite>>> {
    return query.view === 'lite'
      ? this.agents.listLite(access.workspaceId, pageRequest(query))
      : this.agents.list(access.workspaceId, pageRequest(query));
  }

  @ApiOk(AgentDto, { status: 201, description: 'The agent, created' })
  @WorkspaceScoped('workspace')
  @Post('workspaces/:id/agents')
  create(@CurrentAccess() access: WorkspaceAccess, @Body() dto: CreateAgentDto): Promise<Agent> {
    return this.agents.create(access.workspaceId, dto);
  }

  @ApiOk(AgentDto, { description: 'The agent' })
  @WorkspaceScoped('agent')
  @Get('agents/:id')
  get(@Param('id') id: string): Promise<Agent> {
    return this.agents.get(id);
  }

  @ApiOk(AgentDto, { description: 'The agent, updated' })
  @ApiErrors([409, 'The agent is terminated: nothing about it changes again (AGENT_TERMINATED)'])
  @WorkspaceScoped('agent')
  @Patch('agents/:id')
  update(@Param('id') id: string, @Body() dto: UpdateAgentDto): Promise<Agent> {
    return this.agents.update(id, dto);
  }
}
