import { Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '../../../infra/config/app-config.js';
import { Clock, type Timer } from '../../../infra/time/clock.js';
import { CheckPolicy } from './check-policy.js';
import { GoalChecker } from './goal-checker.js';
import { GoalMonitorMetrics } from './goal-monitor.metrics.js';
import { GoalMonitorRepository } from './goal-monitor.repository.js';

/**
 * The monitor's loop in this process: one timer, set for the earliest
 * next_check_at in the database (or GOAL_MONITOR_POLL_MS from now, whichever is
 * sooner, so the checks of an instance that died are found). When it fires it
 * claims and runs due checks one after another until none is left, then sets
 * the timer again. An event that asks for a sooner check moves the timer
 * forward (`wake`). Checks run one at a time per instance: a second instance
 * shares the work through SKIP LOCKED instead.
 */
@Injectable()
export class CheckRunner {
  private readonly logger = new Logger('GoalMonitor');
  private timer: Timer | undefined;
  private timerAt = Number.POSITIVE_INFINITY;
  private running: Promise<void> | undefined;
  /** A wake-up asked for while a poll was running. */
  private wakeAfterRun = Number.POSITIVE_INFINITY;
  private stopped = true;
  /** When to look next for workspaces with goals but no schedule row. */
  private reconcileAt = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly repository: GoalMonitorRepository,
    private readonly checker: GoalChecker,
    private readonly policy: CheckPolicy,
    private readonly metrics: GoalMonitorMetrics,
    private readonly clock: Clock,
    private readonly config: AppConfig,
  ) {}

  start(): void {
    this.stopped = false;
    this.wake(this.clock.now());
  }

  /** Stops the timer and waits for the check in progress, if any, to commit. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.timer?.cancel();
    this.timer = undefined;
    this.timerAt = Number.POSITIVE_INFINITY;
    await this.running;
  }

  /** Look for due checks at `at` (ms since the epoch) unless a look is planned sooner. */
  wake(at: number): void {
    if (this.stopped) return;
    if (this.running) {
      this.wakeAfterRun = Math.min(this.wakeAfterRun, at);
      return;
    }
    if (at >= this.timerAt) return;
    this.timer?.cancel();
    this.timerAt = at;
    this.timer = this.clock.schedule(at - this.clock.now(), () => this.fire());
  }

  private fire(): Promise<void> {
    this.timer = undefined;
    this.timerAt = Number.POSITIVE_INFINITY;
    if (this.stopped || this.running) return this.running ?? Promise.resolve();
    this.running = this.run();
    return this.running;
  }

  private async run(): Promise<void> {
    let next: number;
    try {
      next = await this.poll();
    } catch (error) {
      this.logger.error(`looking for due goal checks failed: ${String(error)}`);
      next = Number.POSITIVE_INFINITY;
    }
    this.running = undefined;
    const at = Math.min(next, this.wakeAfterRun, this.clock.now() + this.config.goalMonitor.pollMs);
    this.wakeAfterRun = Number.POSITIVE_INFINITY;
    this.wake(at);
  }

  /**
   * Runs every check that is due and not held by another runner; returns when to look again.
   * An idle look is one query; each check adds its transaction and one more look.
   */
  private async poll(): Promise<number> {
    const startedAt = this.clock.now();
    this.metrics.polled();
    // Rows for workspaces that have none: in the baseline every workspace, at every look; else
    // those with goals (seeded, or a goal whose request failed), at start and once per maximum
    // interval after.
    if (this.policy.everyWorkspace || startedAt >= this.reconcileAt) {
      const added = await this.repository.addMissingSchedules(
        this.policy.initialIntervalMs,
        startedAt,
        this.policy.everyWorkspace,
      );
      if (added > 0 && !this.policy.everyWorkspace) {
        this.logger.log(`${added} workspaces with goals had no schedule: checking them now`);
      }
      this.reconcileAt = startedAt + this.config.goalMonitor.maxIntervalMs;
    }
    let earliest = await this.repository.earliestDue();
    while (!this.stopped && earliest !== null && earliest <= this.clock.now()) {
      if (!(await this.checker.checkOne())) {
        // What is still due by the start is another runner's (locked) or failed just now: not
        // ours to wait for. Anything that fell due since is, and may already be due again.
        return (await this.repository.nextDueAfter(startedAt)) ?? Number.POSITIVE_INFINITY;
      }
      earliest = await this.repository.earliestDue();
    }
    return earliest ?? Number.POSITIVE_INFINITY;
  }
}
