import {
  type BeforeApplicationShutdown,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import type { GoalMonitorStats } from '@orch/contracts';
import { AppConfig } from '../../../infra/config/app-config.js';
import { DomainEvents } from '../../../infra/events/domain-events.js';
import { Clock } from '../../../infra/time/clock.js';
import { CheckPolicy } from './check-policy.js';
import { CheckRequests } from './check-requests.js';
import { CheckRunner } from './check-runner.js';
import { GoalMonitorMetrics } from './goal-monitor.metrics.js';
import { GoalMonitorRepository } from './goal-monitor.repository.js';

/**
 * The goal monitor (docs/goal-monitor.md): evaluates every workspace's goals
 * in the background and stores the verdicts. Starts with the app (unless
 * GOAL_MONITOR_ENABLED=false), listens to the domain events that can change a
 * verdict, and stops before the database pool closes.
 */
@Injectable()
export class GoalMonitorService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('GoalMonitor');
  private unsubscribe: (() => void) | undefined;

  constructor(
    private readonly config: AppConfig,
    private readonly policy: CheckPolicy,
    private readonly repository: GoalMonitorRepository,
    private readonly requests: CheckRequests,
    private readonly runner: CheckRunner,
    private readonly metrics: GoalMonitorMetrics,
    private readonly events: DomainEvents,
    private readonly clock: Clock,
  ) {}

  private get enabled(): boolean {
    return this.config.goalMonitor.enabled;
  }

  async onApplicationBootstrap(): Promise<void> {
    if (!this.enabled) return;
    // Workspaces whose goals were written without a schedule row (seeded, or a crash between
    // the goal's insert and its row) get one, due now.
    const added = await this.repository
      .addMissingSchedules(
        this.policy.initialIntervalMs,
        this.clock.now(),
        this.policy.everyWorkspace,
      )
      .catch((error: unknown) => {
        this.logger.error(`could not add missing goal schedules: ${String(error)}`);
        return 0;
      });
    if (this.policy.eventDriven) {
      this.unsubscribe = this.events.subscribe((event) => this.requests.onEvent(event));
    }
    this.runner.start();
    const { minIntervalMs, maxIntervalMs } = this.config.goalMonitor;
    this.logger.log(
      this.policy.mode === 'backoff'
        ? `checking goals on events and every ${minIntervalMs / 1000}-${maxIntervalMs / 1000} s (backoff)` +
            (added > 0 ? `; ${added} workspaces added` : '')
        : `checking every workspace's goals every ${this.policy.initialIntervalMs / 60_000} min (goal-monitor-backoff off)`,
    );
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    await this.runner.stop();
  }

  /** For GoalsService: a goal of the workspace was created or edited. */
  async goalsChanged(workspaceId: string): Promise<void> {
    if (!this.enabled || !this.policy.eventDriven) return;
    await this.requests.goalsChanged(workspaceId);
  }

  /** For /api/performance/metrics: this process's counters and the interval distribution. */
  async stats(): Promise<GoalMonitorStats> {
    const intervals = this.enabled ? await this.repository.intervalDistribution() : [];
    return this.metrics.snapshot({
      enabled: this.enabled,
      mode: this.policy.mode,
      intervals: intervals.map((i) => ({
        intervalSeconds: i.intervalMs / 1000,
        workspaces: i.workspaces,
      })),
    });
  }
}
