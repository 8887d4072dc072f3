import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module.js';
import { DeliverablesModule } from '../deliverables/deliverables.module.js';
import { GoalsModule } from '../goals/goals.module.js';
import { RealtimeModule } from '../realtime/realtime.module.js';
import { WorkspacesModule } from '../workspaces/workspaces.module.js';
import { PerformanceController } from './performance.controller.js';
import { PerformanceService } from './performance.service.js';
import { PrometheusFamilies } from './prometheus-families.js';
import { RateLimitModule } from '../../infra/throttling/rate-limit.module.js';

@Module({
  imports: [
    RateLimitModule,
    AuthModule,
    DeliverablesModule,
    GoalsModule,
    RealtimeModule,
    WorkspacesModule,
  ],
  controllers: [PerformanceController],
  providers: [PerformanceService, PrometheusFamilies],
})
export class PerformanceModule {}
