import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Dashboard } from '@orch/contracts';
import { CurrentAccess, type WorkspaceAccess, WorkspaceScoped } from '../auth/access.decorators.js';
import { DashboardService } from './dashboard.service.js';

@ApiTags('workspaces')
@ApiBearerAuth()
@Controller()
export class DashboardController {
  constructor(private readonly dashboard: DashboardService) {}

  @WorkspaceScoped('workspace')
  @Get('workspaces/:id/dashboard')
  get(@CurrentAccess() access: WorkspaceAccess): Promise<Dashboard> {
    return this.dashboard.get(access.workspaceId);
  }
}
