import { Module } from '@nestjs/common';
import { AgentsModule } from '../agents/agents.module.js';
import { GoalsController } from './goals.controller.js';
import { GoalsRepository } from './goals.repository.js';
import { GoalsService } from './goals.service.js';
import { GoalMonitorModule } from './monitor/goal-monitor.module.js';

@Module({
  imports: [AgentsModule, GoalMonitorModule],
  controllers: [GoalsController],
  providers: [GoalsRepository, GoalsService],
  exports: [GoalsService, GoalMonitorModule],
})
export class GoalsModule {}
