import { AppCacheModule } from '../../infra/cache/cache.module.js';
import { dashboardCache } from './dashboard.cache.js';
import { Module } from '@nestjs/common';
import { DashboardBaselineRepository } from './baseline/dashboard-baseline.repository.js';
import { DashboardController } from './dashboard.controller.js';
import { DashboardRepository } from './dashboard.repository.js';
import { DashboardService } from './dashboard.service.js';
import { DashboardReader } from './dashboard-reader.js';
import { switchedProvider } from '../../infra/optimizations/switched-provider.js';

@Module({
  imports: [AppCacheModule.forFeature([dashboardCache])],
  controllers: [DashboardController],
  providers: [
    ...switchedProvider(DashboardReader, 'batching', {
      optimized: DashboardRepository,
      baseline: DashboardBaselineRepository,
    }),
    DashboardService,
  ],
  exports: [DashboardService],
})
export class DashboardModule {}
