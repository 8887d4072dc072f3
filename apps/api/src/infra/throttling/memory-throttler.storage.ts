import type { ThrottlerStorage } from '@nestjs/throttler';
import type { ThrottlerRecord } from './redis-throttler.storage.js';

interface Counter {
  hits: number;
  /** When the fixed window that began with the first hit ends. */
  windowEndsAt: number;
  /** While over the limit: when the block ends (0: not blocked). */
  blockedUntil: number;
}

/**
 * The counters of one process, with the semantics of RedisThrottlerStorage (a
 * fixed window per key that starts with its first hit; over the limit, a block
 * for `blockDuration`): O(1) per request and one small record per key, however
 * many hits a window holds. @nestjs/throttler's own in-memory storage keeps an
 * array of every hit's expiry per key and filters it on every request, so its
 * cost and memory grow with the hits in the window. Records whose window and
 * block have both ended are swept at most once per `sweepEveryMs`, by the
 * request that finds the sweep due (no timer).
 */
export class MemoryThrottlerStorage implements ThrottlerStorage {
  private readonly counters = new Map<string, Counter>();
  private nextSweepAt: number;

  constructor(
    private readonly now: () => number = Date.now,
    private readonly sweepEveryMs = 60_000,
  ) {
    this.nextSweepAt = now() + sweepEveryMs;
  }

  /** Keys held now (for tests and stats). */
  get size(): number {
    return this.counters.size;
  }

  increment(
    key: string,
    ttl: number,
    limit: number,
    blockDuration: number,
    throttlerName: string,
  ): Promise<ThrottlerRecord> {
    return Promise.resolve(this.hit(key, ttl, limit, blockDuration, throttlerName));
  }

  /** `increment`, synchronously: what the guard calls when the counters are in this process. */
  hit(
    key: string,
    ttl: number,
    limit: number,
    blockDuration: number,
    throttlerName: string,
  ): ThrottlerRecord {
    const now = this.now();
    if (now >= this.nextSweepAt) this.sweep(now);
    const id = `${throttlerName}:${key}`;
    let counter = this.counters.get(id);
    if (counter && counter.blockedUntil > now) {
      const windowOpen = counter.windowEndsAt > now;
      return {
        totalHits: windowOpen ? counter.hits : 0,
        timeToExpire: windowOpen ? seconds(counter.windowEndsAt - now) : 0,
        isBlocked: true,
        timeToBlockExpire: seconds(counter.blockedUntil - now),
      };
    }
    if (!counter || counter.windowEndsAt <= now) {
      counter = { hits: 0, windowEndsAt: now + ttl, blockedUntil: 0 };
      this.counters.set(id, counter);
    }
    counter.hits += 1;
    const blocked = counter.hits > limit;
    if (blocked) counter.blockedUntil = now + blockDuration;
    return {
      totalHits: counter.hits,
      timeToExpire: seconds(counter.windowEndsAt - now),
      isBlocked: blocked,
      timeToBlockExpire: blocked ? seconds(blockDuration) : 0,
    };
  }

  private sweep(now: number): void {
    for (const [id, counter] of this.counters) {
      if (counter.windowEndsAt <= now && counter.blockedUntil <= now) this.counters.delete(id);
    }
    this.nextSweepAt = now + this.sweepEveryMs;
  }
}

/** Whole seconds left, as the Redis storage and the throttler headers count them. */
function seconds(ms: number): number {
  return Math.max(0, Math.ceil(ms / 1000));
}
