import { Injectable } from '@nestjs/common';
import {
  GOAL_STATUSES,
  type GoalCheckTrigger,
  type GoalMonitorStats,
  type GoalStatus,
} from '@orch/contracts';

/**
 * The monitor's counters in this process. Plain numbers that only go up, named
 * as the Prometheus counters they will become (goal_monitor_checks_total{trigger}
 * and so on); the interval distribution is a gauge read from the database.
 */
@Injectable()
export class GoalMonitorMetrics {
  private readonly run: Record<GoalCheckTrigger, number> = { event: 0, schedule: 0 };
  private skipped = 0;
  private failed = 0;
  private readonly statusChanges = Object.fromEntries(GOAL_STATUSES.map((s) => [s, 0])) as Record<
    GoalStatus,
    number
  >;
  private readonly events = { received: 0, coalesced: 0, ignored: 0, requested: 0 };
  private readonly latency = { count: 0, sumMs: 0, maxMs: 0 };
  private polls = 0;

  checkRan(trigger: GoalCheckTrigger): void {
    this.run[trigger] += 1;
  }

  checkSkipped(): void {
    this.skipped += 1;
  }

  checkFailed(): void {
    this.failed += 1;
  }

  statusChanged(to: GoalStatus): void {
    this.statusChanges[to] += 1;
  }

  event(outcome: keyof GoalMonitorStats['events']): void {
    this.events[outcome] += 1;
  }

  /** An event-requested check started `ms` after the request's first event. */
  requestServed(ms: number): void {
    this.latency.count += 1;
    this.latency.sumMs += ms;
    this.latency.maxMs = Math.max(this.latency.maxMs, ms);
  }

  polled(): void {
    this.polls += 1;
  }

  snapshot(state: Pick<GoalMonitorStats, 'enabled' | 'mode' | 'intervals'>): GoalMonitorStats {
    return {
      ...state,
      checks: { run: { ...this.run }, skipped: this.skipped, failed: this.failed },
      statusChanges: { ...this.statusChanges },
      events: { ...this.events },
      eventToCheckSeconds: {
        count: this.latency.count,
        sum: this.latency.sumMs / 1000,
        max: this.latency.maxMs / 1000,
      },
      polls: this.polls,
    };
  }
}
