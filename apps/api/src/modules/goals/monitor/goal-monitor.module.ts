import { Module } from '@nestjs/common';
import { AppConfig } from '../../../infra/config/app-config.js';
import { Optimizations } from '../../../infra/optimizations/optimizations.js';
import { FixedCyclePolicy } from './baseline/fixed-cycle.policy.js';
import { BackoffPolicy, CheckPolicy } from './check-policy.js';
import { CheckRequests } from './check-requests.js';
import { CheckRunner } from './check-runner.js';
import { GoalChecker } from './goal-checker.js';
import { GoalMonitorMetrics } from './goal-monitor.metrics.js';
import { GoalMonitorRepository } from './goal-monitor.repository.js';
import { GoalMonitorService } from './goal-monitor.service.js';

@Module({
  providers: [
    {
      // The one place the goal-monitor-backoff switch is read.
      provide: CheckPolicy,
      inject: [Optimizations, AppConfig],
      useFactory: (optimizations: Optimizations, config: AppConfig): CheckPolicy =>
        optimizations.isOn('goal-monitor-backoff')
          ? new BackoffPolicy(config.goalMonitor.minIntervalMs, config.goalMonitor.maxIntervalMs)
          : new FixedCyclePolicy(),
    },
    GoalMonitorRepository,
    GoalMonitorMetrics,
    GoalChecker,
    CheckRunner,
    CheckRequests,
    GoalMonitorService,
  ],
  exports: [GoalMonitorService],
})
export class GoalMonitorModule {}
