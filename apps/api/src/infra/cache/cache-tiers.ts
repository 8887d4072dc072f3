import { type CacheableMemory, createKeyv as createMemoryKeyv } from '@cacheable/memory';
import { createKeyv as createRedisKeyv } from '@keyv/redis';
import { type Cache, createCache } from 'cache-manager';
import { createClient } from '@keyv/redis';

/** What both tiers store for one key: the value and the tag generations it was loaded under. */
export interface CachedEntry<T> {
  value: T;
  generations: number[];
  /** On the service clock (`now`), so tests can move time; the stores expire by real time too. */
  expiresAt: number;
}

/**
 * The in-process tier of one cache: cache-manager over a Keyv memory store
 * bounded by its LRU (`lruSize`; cacheable's default 0 means unbounded). Values
 * are kept by reference (`useClone: false`: a cached object is never mutated)
 * in one Map (`storeHashSize: 1`: hashing keys across 16 Maps cost ~2 us per
 * get here, one Map ~0.1 us). Writes go through cache-manager (TTL, LRU).
 * Reads take the same store's synchronous `get` (`peek`): a cached read is two
 * lookups, and through cache-manager each is a chain of async calls whose
 * promises, on Node 20 with AsyncLocalStorage on, each pay the async-hooks
 * cost (docs/hot-path.md). What cache-manager does not count (evictions,
 * expiries on the service clock) and the drop of an invalidated key also use
 * the store's own API.
 */
export class MemoryTier<T> {
  private readonly cache: Cache;
  private readonly store: CacheableMemory;
  evictions = 0;
  expirations = 0;

  constructor(
    readonly maxEntries: number,
    readonly ttlMs: number,
    private readonly now: () => number,
  ) {
    const keyv = createMemoryKeyv({
      lruSize: maxEntries,
      ttl: ttlMs,
      useClone: false,
      storeHashSize: 1,
    });
    this.store = (keyv.store as { store: CacheableMemory }).store;
    this.cache = createCache({ stores: [keyv], ttl: ttlMs });
  }

  get size(): number {
    return this.store.size;
  }

  /** The entry if present and not expired on the service clock (an expired one is dropped and counted). */
  peek(key: string): CachedEntry<T> | undefined {
    // Keyv keeps `{ value, expires }` in the store.
    const entry = this.store.get<{ value: CachedEntry<T> }>(key)?.value;
    if (entry && entry.expiresAt <= this.now()) {
      this.store.delete(key);
      this.expirations += 1;
      return undefined;
    }
    return entry;
  }

  async set(key: string, value: T, generations: number[]): Promise<void> {
    // The LRU drops its oldest entry when a new key arrives at a full store.
    if (!this.store.has(key) && this.store.size >= this.maxEntries) this.evictions += 1;
    await this.cache.set(
      key,
      { value, generations, expiresAt: this.now() + this.ttlMs },
      this.ttlMs,
    );
  }

  delete(key: string): void {
    this.store.delete(key);
  }

  clear(): void {
    this.store.clear();
  }

  /** Drops every entry expired on the service clock; how many. */
  purgeExpired(): number {
    const now = this.now();
    const expired: string[] = [];
    for (const item of this.store.items) {
      // Keyv keeps `{ value, expires }` in the store.
      const entry = (item.value as { value?: CachedEntry<T> } | undefined)?.value;
      if (!entry || entry.expiresAt <= now) expired.push(item.key);
    }
    for (const key of expired) this.store.delete(key);
    this.expirations += expired.length;
    return expired.length;
  }
}

/**
 * The tier every instance shares when REDIS_URL is set: cache-manager over
 * @keyv/redis, one connection for every cache (values under
 * `orch:cache:v:<cache>:<key>`, with the cache's TTL). Commands fail at once
 * while Redis is down (no offline queue) and the client reconnects by itself;
 * a failed read is a miss, a failed write stores nothing.
 */
export class SharedTier {
  private readonly client;
  private readonly cache: Cache;

  constructor(url: string) {
    this.client = createClient({
      url,
      disableOfflineQueue: true,
      socket: {
        connectTimeout: 2_000,
        // Short and steady: after an outage this tier must be back as soon as Redis is
        // (a connection attempt to a closed port every ~200 ms costs nothing).
        reconnectStrategy: () => 150 + Math.floor(Math.random() * 100),
      },
    });
    // RedisConnection logs outages once; this second connection stays quiet.
    this.client.on('error', () => undefined);
    const keyv = createRedisKeyv(this.client, {
      namespace: 'orch:cache:v',
      keyPrefixSeparator: ':',
      throwOnErrors: true,
    });
    keyv.on('error', () => undefined);
    this.cache = createCache({ stores: [keyv] });
  }

  start(): void {
    this.client.connect().catch(() => undefined);
  }

  /** Resolves once the connection is up, or after `timeoutMs` (then the tier just misses). */
  async ready(timeoutMs: number): Promise<void> {
    if (this.client.isReady) return;
    await new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.client.off('ready', done);
        resolve();
      };
      const timer = setTimeout(done, timeoutMs);
      this.client.on('ready', done);
    });
  }

  async stop(): Promise<void> {
    await this.client.quit().catch(() => this.client.destroy());
  }

  async get<T>(name: string, key: string): Promise<CachedEntry<T> | undefined> {
    return this.cache.get<CachedEntry<T>>(`${name}:${key}`);
  }

  async set<T>(name: string, key: string, entry: CachedEntry<T>, ttlMs: number): Promise<void> {
    await this.cache.set(`${name}:${key}`, entry, ttlMs);
  }
}
