import { type DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { ENTITIES } from './entities.js';
import type { AppConfig } from './infra/config/app-config.js';
import { ConfigModule } from './infra/config/config.module.js';
import { DatabaseModule } from './infra/database/database.module.js';
import { AppCacheModule } from './infra/cache/cache.module.js';
import { EventsModule } from './infra/events/events.module.js';
import { MetricsModule } from './infra/metrics/metrics.module.js';
import { RedisModule } from './infra/redis/redis.module.js';
import type { Clock } from './infra/time/clock.js';
import type { DestinationStream } from 'pino';
import { TimeModule } from './infra/time/time.module.js';
import { ErrorFilter } from './infra/http/error.filter.js';
import { AgentsModule } from './modules/agents/agents.module.js';
import { AuthModule } from './modules/auth/auth.module.js';
import { DashboardModule } from './modules/dashboard/dashboard.module.js';
import { DemoModule } from './modules/demo/demo.module.js';
import { DeliverablesModule } from './modules/deliverables/deliverables.module.js';
import { GoalsModule } from './modules/goals/goals.module.js';
import { HealthModule } from './modules/health/health.module.js';
import { PerformanceModule } from './modules/performance/performance.module.js';
import { QuotaModule } from './modules/quota/quota.module.js';
import { RealtimeModule } from './modules/realtime/realtime.module.js';
import { ThinkingModule } from './modules/thinking/thinking.module.js';
import { UsersModule } from './modules/users/users.module.js';
import { WorkspacesModule } from './modules/workspaces/workspaces.module.js';

/** What a test may hand the app besides its configuration. */
export interface AppOptions {
  /** The clock the goal monitor schedules by (default: the system clock). */
  clock?: Clock;
  /** Where the request log's JSON lines go instead of stdout (tests read them). */
  logStream?: DestinationStream;
}

@Module({})
export class AppModule {
  static forRoot(config: AppConfig, databaseUrl: string, options: AppOptions = {}): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        TimeModule.forRoot(options.clock),
        DatabaseModule.forRoot(databaseUrl, ENTITIES),
        RedisModule,
        EventsModule,
        MetricsModule,
        AppCacheModule,
        AuthModule,
        UsersModule,
        WorkspacesModule,
        AgentsModule,
        DeliverablesModule,
        ThinkingModule,
        GoalsModule,
        DashboardModule,
        HealthModule,
        PerformanceModule,
        QuotaModule,
        RealtimeModule,
        DemoModule,
      ],
      providers: [{ provide: APP_FILTER, useClass: ErrorFilter }],
    };
  }
}
