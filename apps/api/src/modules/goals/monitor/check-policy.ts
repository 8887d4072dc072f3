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
  /** The interval after a check, given the one before it and whether a verdict changed. */
  abstract nextIntervalMs(previousMs: number, changed: boolean): number;

  /** When to check next: after the interval, or sooner when time alone would change a verdict. */
  abstract nextCheckAt(now: number, intervalMs: number, wakeAt: number | null): number;
}

/**
 * Exponential backoff per workspace: a check that changes nothing doubles the
 * interval, up to the maximum; a check that changes a verdict resets it to the
 * minimum, whatever made the check due. The evaluator's wake-up time (a window
 * closing, half of it passing) brings the next check forward, so a long
 * interval never makes a verdict late.
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

  nextIntervalMs(previousMs: number, changed: boolean): number {
    if (changed) return this.minIntervalMs;
    const previous = Math.min(Math.max(previousMs, this.minIntervalMs), this.maxIntervalMs);
    return Math.min(previous * 2, this.maxIntervalMs);
  }

  nextCheckAt(now: number, intervalMs: number, wakeAt: number | null): number {
    const after = now + intervalMs;
    return wakeAt !== null && wakeAt > now ? Math.min(after, wakeAt) : after;
  }
}
