import type { GoalCheckTrigger } from '@orch/contracts';

export interface CheckOutcome {
  trigger: GoalCheckTrigger;
  /** Some goal's status, progress or reason changed. */
  changed: boolean;
}

/**
 * When a workspace is checked again: the one thing the `goal-monitor-backoff`
 * switch changes. Chosen once per process (goal-monitor.module.ts).
 */
export abstract class CheckPolicy {
  abstract readonly mode: 'backoff' | 'fixed';
  /** Agent, deliverable and step events ask for a check. */
  abstract readonly eventDriven: boolean;
  /** Every workspace is checked, with goals or without. */
  abstract readonly everyWorkspace: boolean;
  /** The interval a new schedule row starts with. */
  abstract readonly initialIntervalMs: number;
  /** The interval after a check, given the one before it. */
  abstract nextIntervalMs(previousMs: number, outcome: CheckOutcome): number;

  /** When to check next: after the interval, or sooner when time alone would change a verdict. */
  abstract nextCheckAt(now: number, intervalMs: number, wakeAt: number | null): number;
}

/**
 * Exponential backoff per workspace: a check that changes nothing doubles the
 * interval, up to the maximum; a change, or a check an event asked for, resets
 * it to the minimum. The evaluator's wake-up time (a window closing, half of
 * it passing) brings the next check forward, so a long interval never makes a
 * verdict late.
 */
export class BackoffPolicy extends CheckPolicy {
  readonly mode = 'backoff';
  readonly eventDriven = true;
  readonly everyWorkspace = false;

  constructor(
    readonly minIntervalMs: number,
    readonly maxIntervalMs: number,
  ) {
    super();
  }

  get initialIntervalMs(): number {
    return this.minIntervalMs;
  }

  nextIntervalMs(previousMs: number, outcome: CheckOutcome): number {
    if (outcome.changed || outcome.trigger === 'event') return this.minIntervalMs;
    const previous = Math.min(Math.max(previousMs, this.minIntervalMs), this.maxIntervalMs);
    return Math.min(previous * 2, this.maxIntervalMs);
  }

  nextCheckAt(now: number, intervalMs: number, wakeAt: number | null): number {
    const after = now + intervalMs;
    return wakeAt !== null && wakeAt > now ? Math.min(after, wakeAt) : after;
  }
}
