import { Module } from '@nestjs/common';
import { DashboardBaselineRepository } from './baseline/dashboard-baseline.repository.js';
import { DashboardController } from './dashboard.controller.js';
import { DashboardRepository } from './dashboard.repository.js';
import { DashboardService } from './dashboard.service.js';

@Module({
  controllers: [DashboardController],
  providers: [DashboardRepository, DashboardBaselineRepository, DashboardService],
  exports: [DashboardService],
})
export class DashboardModule {}
