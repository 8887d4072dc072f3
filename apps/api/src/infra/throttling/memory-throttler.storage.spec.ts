import { describe, expect, it } from 'vitest';
import { MemoryThrottlerStorage } from './memory-throttler.storage.js';

const MINUTE = 60_000;

/** A storage on a clock the test moves. */
function storage() {
  let now = 1_000_000;
  const store = new MemoryThrottlerStorage(() => now, MINUTE);
  return {
    store,
    advance: (ms: number) => (now += ms),
    hit: (key = 'user:u1', limit = 100) => store.increment(key, MINUTE, limit, MINUTE, 'user'),
  };
}

describe('MemoryThrottlerStorage', () => {
  it('keeps one record per key, however many hits a window holds', async () => {
    const { store, hit } = storage();
    const heapBefore = process.memoryUsage().heapUsed;
    let last;
    for (let i = 0; i < 100_000; i++) last = await hit('user:u1', 1_000_000);
    expect(store.size).toBe(1);
    expect(last).toEqual({
      totalHits: 100_000,
      timeToExpire: 60,
      isBlocked: false,
      timeToBlockExpire: 0,
    });
    // @nestjs/throttler's storage would hold 100,000 expiry timestamps here (>= 800 KB).
    expect(process.memoryUsage().heapUsed - heapBefore).toBeLessThan(4 * 1024 * 1024);
    for (let k = 0; k < 50; k++) await hit(`user:other-${k}`);
    expect(store.size).toBe(51);
  });

  it('allows the limit, then blocks with the time left; the window resets after its TTL', async () => {
    const { hit, advance } = storage();
    for (let i = 1; i <= 10; i++) {
      expect(await hit('ip:1', 10)).toMatchObject({ totalHits: i, isBlocked: false });
    }
    advance(15_000);
    expect(await hit('ip:1', 10)).toEqual({
      totalHits: 11,
      timeToExpire: 45,
      isBlocked: true,
      timeToBlockExpire: 60,
    });
    // While blocked every request is refused, with the block's remaining seconds (Retry-After).
    advance(20_500);
    expect(await hit('ip:1', 10)).toEqual({
      totalHits: 11,
      timeToExpire: 25,
      isBlocked: true,
      timeToBlockExpire: 40,
    });
    // The window ended, the block has not: hits read 0, as the Redis storage reports them.
    advance(25_000);
    expect(await hit('ip:1', 10)).toEqual({
      totalHits: 0,
      timeToExpire: 0,
      isBlocked: true,
      timeToBlockExpire: 15,
    });
    // Block over: a new window from the next hit.
    advance(15_000);
    expect(await hit('ip:1', 10)).toEqual({
      totalHits: 1,
      timeToExpire: 60,
      isBlocked: false,
      timeToBlockExpire: 0,
    });
  });

  it('keys tiers apart: the same caller has one budget per tier', async () => {
    const { store } = storage();
    await store.increment('user:u1', MINUTE, 1, MINUTE, 'user');
    const other = await store.increment('user:u1', MINUTE, 1, MINUTE, 'ingest');
    expect(other).toMatchObject({ totalHits: 1, isBlocked: false });
    expect(store.size).toBe(2);
  });

  it('drops records whose window and block have ended, at most once a sweep interval', async () => {
    const { store, hit, advance } = storage();
    for (let k = 0; k < 1_000; k++) await hit(`ip:${k}`, 1);
    advance(10_000);
    await hit('ip:0', 1); // over the limit: blocked for a minute from now
    advance(20_000);
    await hit('ip:fresh');
    expect(store.size).toBe(1_001); // no sweep before the interval
    advance(30_000);
    await hit('ip:fresh'); // the sweep runs: the 1,000 windows have ended, ip:0 is still blocked
    expect(store.size).toBe(2);
    advance(MINUTE);
    await hit('ip:late');
    expect(store.size).toBe(1);
  });
});
