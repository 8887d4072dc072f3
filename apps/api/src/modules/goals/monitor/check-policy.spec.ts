import { describe, expect, it } from 'vitest';
import { FIXED_CYCLE_MS, FixedCyclePolicy } from './baseline/fixed-cycle.policy.js';
import { BackoffPolicy, type CheckPolicy } from './check-policy.js';

const MIN = 60_000;

describe('BackoffPolicy', () => {
  const policy = new BackoffPolicy(MIN, 60 * MIN);

  it('doubles while nothing changes: 1, 2, 4, ... 32, then the 60-minute maximum', () => {
    const intervals = [policy.initialIntervalMs];
    for (let i = 0; i < 8; i++) {
      intervals.push(policy.nextIntervalMs(intervals[intervals.length - 1], false));
    }
    expect(intervals.map((ms) => ms / MIN)).toEqual([1, 2, 4, 8, 16, 32, 60, 60, 60]);
  });

  it('goes back to the minimum after a check that changed a verdict', () => {
    expect(policy.nextIntervalMs(32 * MIN, true)).toBe(MIN);
    expect(policy.nextIntervalMs(60 * MIN, true)).toBe(MIN);
  });

  it('keeps a stored interval from another configuration within the bounds', () => {
    expect(policy.nextIntervalMs(10, false)).toBe(2 * MIN);
    expect(policy.nextIntervalMs(10 * 60 * MIN, false)).toBe(60 * MIN);
  });

  it('checks sooner than the interval when time alone would change a verdict', () => {
    expect(policy.nextCheckAt(1_000, 8 * MIN, null)).toBe(1_000 + 8 * MIN);
    expect(policy.nextCheckAt(1_000, 8 * MIN, 1_000 + 3 * MIN)).toBe(1_000 + 3 * MIN);
    expect(policy.nextCheckAt(1_000, 8 * MIN, 1_000 + 9 * MIN)).toBe(1_000 + 8 * MIN);
  });
});

describe('FixedCyclePolicy (the baseline)', () => {
  const policy: CheckPolicy = new FixedCyclePolicy();

  it('is 20 minutes whatever happened, for every workspace, deaf to events and windows', () => {
    expect(FIXED_CYCLE_MS).toBe(20 * MIN);
    const after = [policy.nextIntervalMs(MIN, false), policy.nextIntervalMs(60 * MIN, true)];
    expect(after).toEqual([FIXED_CYCLE_MS, FIXED_CYCLE_MS]);
    // A window closing in 5 minutes does not bring the check forward.
    expect(policy.nextCheckAt(1_000, FIXED_CYCLE_MS, 1_000 + 5 * MIN)).toBe(1_000 + FIXED_CYCLE_MS);
    expect([policy.initialIntervalMs, policy.eventDriven, policy.everyWorkspace]).toEqual([
      FIXED_CYCLE_MS,
      false,
      true,
    ]);
  });
});
