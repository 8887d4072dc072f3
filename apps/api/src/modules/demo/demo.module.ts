import { Module } from '@nestjs/common';
import { AgentsModule } from '../agents/agents.module.js';
import { DashboardModule } from '../dashboard/dashboard.module.js';
import { DeliverablesModule } from '../deliverables/deliverables.module.js';
import { ThinkingModule } from '../thinking/thinking.module.js';
import { UsersModule } from '../users/users.module.js';
import { WorkspacesModule } from '../workspaces/workspaces.module.js';
import { DemoActivityService } from './demo-activity.service.js';

@Module({
  imports: [
    UsersModule,
    WorkspacesModule,
    DashboardModule,
    AgentsModule,
    ThinkingModule,
    DeliverablesModule,
  ],
  providers: [DemoActivityService],
  exports: [DemoActivityService],
})
export class DemoModule {}
