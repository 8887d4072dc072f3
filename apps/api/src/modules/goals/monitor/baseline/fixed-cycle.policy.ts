import { CheckPolicy } from '../check-policy.js';

/** The seed system's cycle. */
export const FIXED_CYCLE_MS = 20 * 60_000;

/**
 * The baseline (`goal-monitor-backoff` off), as the first seed system ran: every
 * workspace, goals or not, re-checked every 20 minutes whatever happened,
 * events ignored. It keeps the one-runner-per-check claim: that is
 * correctness, not the optimization being measured.
 */
export class FixedCyclePolicy extends CheckPolicy {
  readonly mode = 'fixed';
  readonly eventDriven = false;
  readonly everyWorkspace = true;
  readonly initialIntervalMs = FIXED_CYCLE_MS;

  nextIntervalMs(): number {
    return FIXED_CYCLE_MS;
  }

  nextCheckAt(now: number): number {
    return now + FIXED_CYCLE_MS;
  }
}
