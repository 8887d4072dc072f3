import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Dashboard } from '@orch/contracts';
import type { CachedBody } from '../../infra/http/cached-body.js';
import { CurrentAccess, type WorkspaceAccess, WorkspaceScoped } from '../auth/access.decorators.js';
import { DashboardService } from './dashboard.service.js';
import { ApiOk } from '../../infra/http/openapi/responses.js';
import { DashboardDto } from './dashboard.response.js';
import { type Awaitable } from '../../core/awaitable.js';

@ApiTags('workspaces')
@ApiBearerAuth()
@Controller()
export class DashboardController {
  constructor(private readonly dashboard: DashboardService) {}

  @ApiOk(DashboardDto, { description: 'The workspace’s dashboard', conditional: true })
  @WorkspaceScoped('workspace')
  @Get('workspaces/:id/dashboard')
  get(@CurrentAccess() access: WorkspaceAccess): Awaitable<CachedBody<Dashboard>> {
    return this.dashboard.getBody(access.workspaceId);
  }
}
