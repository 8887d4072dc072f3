import { Clock, type Timer } from '../../src/infra/time/clock.js';

interface Pending {
  at: number;
  order: number;
  task: () => Promise<void> | void;
}

/**
 * A clock the test moves. Time stands still until `advance`; then every timer
 * that falls due runs in time order, with the clock set to its time, and its
 * task (a goal check with its real database work) is awaited before the next
 * one, so a test sees exactly what the app does over hours of schedule.
 */
export class ManualClock extends Clock {
  private current: number;
  private order = 0;
  private readonly timers = new Map<number, Pending>();

  constructor(start = Date.now()) {
    super();
    this.current = start;
  }

  now(): number {
    return this.current;
  }

  schedule(delayMs: number, task: () => Promise<void> | void): Timer {
    const id = ++this.order;
    this.timers.set(id, { at: this.current + Math.max(0, delayMs), order: id, task });
    return { cancel: () => this.timers.delete(id) };
  }

  /** Moves time forward by `ms`, running what falls due on the way (and at the end). */
  advance(ms: number): Promise<void> {
    return this.advanceTo(this.current + ms);
  }

  async advanceTo(target: number): Promise<void> {
    for (;;) {
      let next: [number, Pending] | undefined;
      for (const entry of this.timers) {
        const [, timer] = entry;
        if (timer.at > target) continue;
        if (
          !next ||
          timer.at < next[1].at ||
          (timer.at === next[1].at && timer.order < next[1].order)
        ) {
          next = entry;
        }
      }
      if (!next) break;
      this.timers.delete(next[0]);
      this.current = Math.max(this.current, next[1].at);
      await next[1].task();
    }
    this.current = Math.max(this.current, target);
  }

  /** When the earliest timer is set for, if any. */
  nextTimerAt(): number | null {
    let at: number | null = null;
    for (const timer of this.timers.values()) if (at === null || timer.at < at) at = timer.at;
    return at;
  }
}
