import {
  type BeforeApplicationShutdown,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import type { GoalMonitorStats } from '@orch/contracts';
import { AppConfig } from '../../../infra/config/app-config.js';
import { DomainEvents } from '../../../infra/events/domain-events.js';
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
  ) {}

  private get enabled(): boolean {
    return this.config.goalMonitor.enabled;
  }

  onApplicationBootstrap(): void {
    if (!this.enabled) return;
    if (this.policy.eventDriven) {
      this.unsubscribe = this.events.subscribe((event) => this.requests.onEvent(event));
    }
    // Its first look (at once) also gives a schedule row to every workspace with goals that
    // has none: seeded data, or a goal whose request could not be stored.
    this.runner.start();
    const { minIntervalMs, maxIntervalMs } = this.config.goalMonitor;
    this.logger.log(
      this.policy.mode === 'backoff'
        ? `checking goals on events and every ${minIntervalMs / 1000}-${maxIntervalMs / 1000} s (backoff)`
        : `checking every workspace's goals every ${this.policy.initialIntervalMs / 60_000} min (goal-monitor-backoff off)`,
    );
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    await this.runner.stop();
  }

  /**
   * For GoalsService, after its write: a goal of the workspace was created or edited. Never
   * fails the write, which has committed: a request that cannot be stored is logged, and the
   * workspace is found by its next scheduled check or, without a row yet, by the next look for
   * missing rows (at start-up, then once per maximum interval).
   */
  async goalsChanged(workspaceId: string): Promise<void> {
    if (!this.enabled || !this.policy.eventDriven) return;
    await this.requests.goalsChanged(workspaceId).catch((error: unknown) => {
      this.logger.error(`could not request a check of workspace ${workspaceId}: ${String(error)}`);
    });
  }

  /**
   * For /api/performance/metrics: this process's counters and the interval distribution (one
   * query; empty when the database cannot answer, so the counters stay readable).
   */
  async stats(): Promise<GoalMonitorStats> {
    const intervals = this.enabled
      ? await this.repository.intervalDistribution().catch((error: unknown) => {
          this.logger.warn(`goal check intervals unavailable: ${String(error)}`);
          return [];
        })
      : [];
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
