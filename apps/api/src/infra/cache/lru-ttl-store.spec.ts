import { describe, expect, it } from 'vitest';
import { LruTtlStore } from './lru-ttl-store.js';

/** A clock the test moves by hand. */
function manualClock(start = 1_000_000) {
  let now = start;
  return {
    now: () => now,
    advance: (ms: number) => {
      now += ms;
    },
  };
}

describe('LruTtlStore', () => {
  describe('the LRU bound', () => {
    it('keeps at most maxEntries, dropping the least recently used and counting each eviction', () => {
      const clock = manualClock();
      const store = new LruTtlStore<string>(3, 60_000, clock.now);
      for (const key of ['a', 'b', 'c']) store.set(key, key.toUpperCase(), []);
      expect(store.size).toBe(3);
      expect(store.evictions).toBe(0);

      store.set('d', 'D', []);
      expect(store.size).toBe(3);
      expect(store.evictions).toBe(1);
      expect(store.get('a')).toBeUndefined();
      expect(store.get('b')?.value).toBe('B');
      expect(store.get('c')?.value).toBe('C');
      expect(store.get('d')?.value).toBe('D');

      store.set('e', 'E', []);
      store.set('f', 'F', []);
      expect(store.evictions).toBe(3);
      expect(['a', 'b', 'c', 'd', 'e', 'f'].filter((key) => store.get(key))).toEqual([
        'd',
        'e',
        'f',
      ]);
      // An eviction is not an expiry.
      expect(store.expirations).toBe(0);
    });

    it('treats a hit as a use: the entry read last is evicted last', () => {
      const store = new LruTtlStore<number>(3, 60_000, manualClock().now);
      store.set('a', 1, []);
      store.set('b', 2, []);
      store.set('c', 3, []);
      expect(store.get('a')?.value).toBe(1); // a is now the most recently used

      store.set('d', 4, []);
      expect(store.get('b')).toBeUndefined();
      expect(store.get('a')?.value).toBe(1);
      expect(store.evictions).toBe(1);
    });

    it('treats a set of an existing key as a use, replacing it without an eviction', () => {
      const store = new LruTtlStore<number>(2, 60_000, manualClock().now);
      store.set('a', 1, [0]);
      store.set('b', 2, [0]);
      store.set('a', 10, [1]);
      expect(store.size).toBe(2);
      expect(store.evictions).toBe(0);
      expect(store.get('a')).toMatchObject({ value: 10, tagGenerations: [1] });

      store.set('c', 3, []);
      expect(store.get('b')).toBeUndefined();
      expect(store.get('a')?.value).toBe(10);
      expect(store.evictions).toBe(1);
    });

    it('works with a bound of one', () => {
      const store = new LruTtlStore<string>(1, 60_000, manualClock().now);
      store.set('a', 'A', []);
      store.set('b', 'B', []);
      expect(store.size).toBe(1);
      expect(store.get('a')).toBeUndefined();
      expect(store.get('b')?.value).toBe('B');
      expect(store.evictions).toBe(1);
    });

    it('keeps the tag generations an entry was stored with', () => {
      const store = new LruTtlStore<string>(10, 60_000, manualClock().now);
      store.set('k', 'v', [3, 0, 7]);
      expect(store.get('k')?.tagGenerations).toEqual([3, 0, 7]);
    });
  });

  describe('the TTL, on the injected clock', () => {
    it('serves an entry until ttlMs have passed, then drops it on read and counts an expiry', () => {
      const clock = manualClock();
      const store = new LruTtlStore<string>(10, 5_000, clock.now);
      store.set('k', 'v', []);
      expect(store.get('k')).toMatchObject({ value: 'v', expiresAt: clock.now() + 5_000 });

      clock.advance(4_999);
      expect(store.get('k')?.value).toBe('v');
      expect(store.expirations).toBe(0);

      clock.advance(1); // exactly ttlMs after the set: expired
      expect(store.get('k')).toBeUndefined();
      expect(store.expirations).toBe(1);
      expect(store.size).toBe(0);
      // Counted once: the entry is gone.
      expect(store.get('k')).toBeUndefined();
      expect(store.expirations).toBe(1);
    });

    it('does not extend the TTL on a hit, but does on a new set', () => {
      const clock = manualClock();
      const store = new LruTtlStore<string>(10, 1_000, clock.now);
      store.set('k', 'v1', []);
      clock.advance(900);
      expect(store.get('k')?.value).toBe('v1');
      clock.advance(100);
      expect(store.get('k')).toBeUndefined();

      store.set('k', 'v2', []);
      clock.advance(900);
      store.set('k', 'v3', []);
      clock.advance(900);
      expect(store.get('k')?.value).toBe('v3');
    });

    it('uses Date.now when no clock is given', () => {
      const store = new LruTtlStore<string>(10, 60_000);
      const before = Date.now();
      store.set('k', 'v', []);
      const entry = store.get('k');
      expect(entry?.expiresAt).toBeGreaterThanOrEqual(before + 60_000);
      expect(entry?.expiresAt).toBeLessThanOrEqual(Date.now() + 60_000);
    });
  });

  describe('purgeExpired', () => {
    it('drops exactly the expired entries, says how many, and counts them as expiries', () => {
      const clock = manualClock();
      const store = new LruTtlStore<number>(10, 1_000, clock.now);
      store.set('old1', 1, []);
      store.set('old2', 2, []);
      clock.advance(500);
      store.set('young', 3, []);
      clock.advance(500); // old1 and old2 are exactly 1,000 ms old; young 500 ms

      expect(store.purgeExpired()).toBe(2);
      expect(store.size).toBe(1);
      expect(store.expirations).toBe(2);
      expect(store.get('young')?.value).toBe(3);
      expect(store.purgeExpired()).toBe(0);
      expect(store.expirations).toBe(2);

      clock.advance(500);
      expect(store.purgeExpired()).toBe(1);
      expect(store.size).toBe(0);
      expect(store.expirations).toBe(3);
      expect(store.evictions).toBe(0);
    });

    it('returns 0 on an empty store', () => {
      expect(new LruTtlStore<number>(10, 1_000, manualClock().now).purgeExpired()).toBe(0);
    });
  });

  describe('delete and clear', () => {
    it('delete removes one entry without counting it as an eviction or expiry', () => {
      const store = new LruTtlStore<number>(10, 1_000, manualClock().now);
      store.set('a', 1, []);
      store.set('b', 2, []);
      store.delete('a');
      store.delete('missing');
      expect(store.size).toBe(1);
      expect(store.get('a')).toBeUndefined();
      expect(store.get('b')?.value).toBe(2);
      expect(store.evictions).toBe(0);
      expect(store.expirations).toBe(0);
    });

    it('clear empties the store and keeps the counters', () => {
      const store = new LruTtlStore<number>(1, 1_000, manualClock().now);
      store.set('a', 1, []);
      store.set('b', 2, []);
      store.clear();
      expect(store.size).toBe(0);
      expect(store.get('b')).toBeUndefined();
      expect(store.evictions).toBe(1);
      expect(store.maxEntries).toBe(1);
      expect(store.ttlMs).toBe(1_000);
    });
  });
});
