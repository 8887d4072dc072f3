import { Module } from '@nestjs/common';
import { DeliverablesModule } from '../deliverables/deliverables.module.js';
import { GoalsModule } from '../goals/goals.module.js';
import { RealtimeModule } from '../realtime/realtime.module.js';
import { PerformanceController } from './performance.controller.js';
import { PerformanceService } from './performance.service.js';

@Module({
  imports: [DeliverablesModule, GoalsModule, RealtimeModule],
  controllers: [PerformanceController],
  providers: [PerformanceService],
})
export class PerformanceModule {}
