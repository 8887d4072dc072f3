import { Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import type { CacheStats, CacheStatsEntry } from '@orch/contracts';
import type { Redis } from 'ioredis';
import { AppConfig } from '../config/app-config.js';
import { Optimizations } from '../optimizations/optimizations.js';
import { RedisConnection } from '../redis/redis.connection.js';
import { CACHE_NAMES, type CacheName } from './cache-keys.js';
import { LruTtlStore } from './lru-ttl-store.js';

const PREFIX = 'orch:cache';
const MAX_DEPENDANTS_PER_TAG = 1_000;
const CHANNEL = `${PREFIX}:invalidate`;
const tagKey = (tag: string) => `${PREFIX}:tag:${tag}`;
const valueKey = (name: CacheName, key: string) => `${PREFIX}:v:${name}:${key}`;

/** Stores a value only if none of its tags moved since the load began: the generation guard. */
const STORE_IF_CURRENT = `
local n = tonumber(ARGV[1])
for i = 1, n do
  if tonumber(redis.call('GET', KEYS[i + 1]) or '0') ~= tonumber(ARGV[i + 1]) then return 0 end
end
redis.call('SET', KEYS[1], ARGV[n + 2], 'PX', ARGV[n + 3])
return 1
`;

interface Counters {
  hits: number;
  misses: number;
  loads: number;
  staleDiscarded: number;
}

interface RedisValue<T> {
  value: T;
  tagGenerations: number[];
}

/**
 * Two tiers: a bounded in-process LRU+TTL per cache name, and Redis when
 * REDIS_URL is set. Every entry records the generation of each tag it
 * depends on; a write invalidates tags (bumps their generations), so:
 * - a stale entry is never served: reads compare the entry's generations with
 *   the current ones (in Redis, when configured, in the same round trip as the
 *   read — so a read after an acknowledged write never sees the old value on
 *   any instance, whether or not the pub/sub message has arrived yet);
 * - a load that started before an invalidation can't store its old value
 *   afterwards (the store is conditional on the generations it started from);
 * - concurrent misses for one key run the loader once (single flight).
 * Pub/sub tells the other instances to drop their in-process copies at once
 * (freeing memory; correctness never waits for it).
 * While Redis is unreachable every read goes to the database (the
 * in-process tier is bypassed, since other instances' writes can't be heard).
 */
@Injectable()
export class CacheService implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('Cache');
  private readonly stores = new Map<CacheName, LruTtlStore<unknown>>();
  private readonly counters = new Map<CacheName, Counters>();
  /** Local tag generations (authoritative without Redis; a hint with it). */
  private readonly generations = new Map<string, number>();
  private readonly inFlight = new Map<string, Promise<unknown>>();
  /** Which in-process entries depend on a tag, so an invalidation can drop them at once. */
  private readonly byTag = new Map<string, Map<string, CacheName>>();
  /** Tags whose invalidation could not reach Redis, replayed when it is back. */
  private readonly unpublished = new Set<string>();
  private redisWasDown = false;
  private readonly redis: Redis | undefined;
  private subscriber: Redis | undefined;
  /** Replaced by tests that need to move time. */
  now: () => number = Date.now;

  constructor(
    private readonly config: AppConfig,
    private readonly optimizations: Optimizations,
    connection: RedisConnection,
  ) {
    this.redis = connection.client;
    for (const name of CACHE_NAMES) {
      const { maxEntries, ttlMs } = config.cache[name];
      this.stores.set(name, new LruTtlStore(maxEntries, ttlMs, () => this.now()));
      this.counters.set(name, { hits: 0, misses: 0, loads: 0, staleDiscarded: 0 });
    }
    // No fixed numberOfKeys: each call passes its own count first (the tags vary).
    if (this.redis) {
      this.redis.defineCommand('cacheStoreIfCurrent', { lua: STORE_IF_CURRENT });
      this.redis.on('error', () => (this.redisWasDown = true));
      this.redis.on('close', () => (this.redisWasDown = true));
      this.redis.on('ready', () => void this.onRedisReady());
    }
  }

  async onModuleInit(): Promise<void> {
    if (!this.redis) return;
    this.subscriber = this.redis.duplicate({ enableOfflineQueue: true });
    this.subscriber.on('error', () => undefined); // RedisConnection logs outages
    this.subscriber.on('message', (_channel: string, message: string) => {
      try {
        const { tags } = JSON.parse(message) as { tags: string[] };
        this.bumpLocal(tags);
      } catch {
        this.logger.warn('ignored a malformed invalidation message');
      }
    });
    await this.subscriber.subscribe(CHANNEL).catch((error: unknown) => {
      this.logger.error(`could not subscribe to invalidations: ${String(error)}`);
    });
  }

  async onApplicationShutdown(): Promise<void> {
    await this.subscriber?.quit().catch(() => this.subscriber?.disconnect());
  }

  /** Is the cache in use for this read (the `workspace-cache` / `response-cache` switches)? */
  enabled(name: CacheName): boolean {
    return this.optimizations.isOn(
      name === 'workspace' || name === 'membership' ? 'workspace-cache' : 'response-cache',
    );
  }

  /**
   * The value for `key`, loaded by `loader` on a miss. `tags` name what the
   * value depends on; `cacheIf` can refuse to cache a result (e.g. not found).
   */
  async wrap<T>(
    name: CacheName,
    key: string,
    tags: string[],
    loader: () => Promise<T>,
    cacheIf: (value: T) => boolean = () => true,
  ): Promise<T> {
    if (!this.enabled(name)) return loader();
    return this.read(name, key, tags, loader, cacheIf);
  }

  /**
   * Called after a write commits: every value depending on one of `tags` is
   * stale from now on, here and on every instance.
   */
  async invalidate(tags: string[]): Promise<void> {
    if (tags.length === 0) return;
    this.bumpLocal(tags);
    if (!this.redis) return;
    await this.publishTags(tags);
  }

  /**
   * Bumps the tags in Redis and tells the other instances. Tag keys never
   * expire (a handful per workspace): an expired one would restart at 0 and
   * make a value stored under an old generation current again. If Redis is
   * unreachable the tags are kept and replayed when it is back.
   */
  private async publishTags(tags: string[]): Promise<void> {
    try {
      const multi = this.redis!.multi();
      for (const tag of tags) multi.incr(tagKey(tag));
      multi.publish(CHANNEL, JSON.stringify({ tags }));
      const results = await multi.exec();
      if (!results || results.some(([error]) => error)) throw new Error('the transaction failed');
    } catch (error) {
      // While Redis is down no instance serves from its caches; the replay on reconnect
      // makes sure nobody serves a copy this write made stale afterwards.
      for (const tag of tags) this.unpublished.add(tag);
      this.logger.warn(
        `could not publish an invalidation (${error instanceof Error ? error.message : String(error)}); will replay it when Redis is back`,
      );
    }
  }

  /**
   * Redis is back after an outage: it may have restarted empty (every
   * generation 0 again) or missed this instance's invalidations. Drop every
   * in-process copy, then replay the invalidations that failed.
   */
  private async onRedisReady(): Promise<void> {
    if (!this.redisWasDown) return;
    this.redisWasDown = false;
    for (const store of this.stores.values()) store.clear();
    this.byTag.clear();
    const tags = [...this.unpublished];
    this.unpublished.clear();
    if (tags.length > 0) await this.publishTags(tags);
    this.logger.log(
      `Redis is back: in-process copies dropped, ${tags.length} invalidation(s) replayed`,
    );
  }

  stats(): CacheStats {
    const caches: Record<string, CacheStatsEntry> = {};
    for (const name of CACHE_NAMES) {
      const store = this.store(name);
      const c = this.count(name);
      const lookups = c.hits + c.misses;
      caches[name] = {
        enabled: this.enabled(name),
        hits: c.hits,
        misses: c.misses,
        hitRate: lookups === 0 ? 0 : Math.round((c.hits / lookups) * 10_000) / 10_000,
        evictions: store.evictions,
        expirations: store.expirations,
        staleDiscarded: c.staleDiscarded,
        size: store.size,
        maxEntries: store.maxEntries,
        ttlSeconds: store.ttlMs / 1000,
      };
    }
    return { tiers: this.redis ? ['memory', 'redis'] : ['memory'], caches };
  }

  /** Drops expired in-process entries; how many per cache. */
  cleanup(): Record<string, number> {
    return Object.fromEntries(CACHE_NAMES.map((name) => [name, this.store(name).purgeExpired()]));
  }

  private async read<T>(
    name: CacheName,
    key: string,
    tags: string[],
    loader: () => Promise<T>,
    cacheIf: (value: T) => boolean,
  ): Promise<T> {
    const store = this.store(name) as LruTtlStore<T>;
    const counters = this.count(name);
    let current: number[];
    let remote: RedisValue<T> | undefined;
    if (this.redis) {
      try {
        const replies = await this.redis.mget(valueKey(name, key), ...tags.map(tagKey));
        current = replies.slice(1).map((g) => Number(g ?? 0));
        remote = replies[0] ? (JSON.parse(replies[0]) as RedisValue<T>) : undefined;
      } catch {
        // Redis is down: no tier can be trusted to be current. Straight to the database.
        counters.misses += 1;
        return loader();
      }
    } else {
      current = tags.map((t) => this.generations.get(t) ?? 0);
    }

    const local = store.get(key);
    if (local && sameGenerations(local.tagGenerations, current)) {
      counters.hits += 1;
      return local.value;
    }
    if (local) {
      store.delete(key);
      counters.staleDiscarded += 1;
    }
    if (remote && sameGenerations(remote.tagGenerations, current)) {
      counters.hits += 1;
      this.remember(name, key, tags, remote.value, current);
      return remote.value;
    }

    // Single flight per key *and generations*: concurrent misses share one load, but a
    // read that starts after an invalidation never joins a load that began before it.
    const flightKey = `${name}:${key}:${current.join('.')}`;
    const flying = this.inFlight.get(flightKey) as Promise<T> | undefined;
    if (flying) {
      counters.hits += 1;
      return flying;
    }
    counters.misses += 1;
    counters.loads += 1;
    const flight = (async () => {
      const value = await loader();
      if (cacheIf(value)) await this.storeIfCurrent(name, key, tags, current, value);
      return value;
    })();
    this.inFlight.set(flightKey, flight);
    try {
      return await flight;
    } finally {
      if (this.inFlight.get(flightKey) === flight) this.inFlight.delete(flightKey);
    }
  }

  /** The generation guard: nothing is stored if a tag moved while the value was loading. */
  private async storeIfCurrent<T>(
    name: CacheName,
    key: string,
    tags: string[],
    started: number[],
    value: T,
  ): Promise<void> {
    if (!this.redis) {
      const now = tags.map((t) => this.generations.get(t) ?? 0);
      if (sameGenerations(now, started)) this.remember(name, key, tags, value, started);
      else this.count(name).staleDiscarded += 1;
      return;
    }
    try {
      const payload = JSON.stringify({ value, tagGenerations: started } satisfies RedisValue<T>);
      const stored = await (
        this.redis as unknown as {
          cacheStoreIfCurrent(...args: (string | number)[]): Promise<number>;
        }
      ).cacheStoreIfCurrent(
        // numberOfKeys is dynamic: pass it first (EVAL's numkeys)
        ...[
          tags.length + 1,
          valueKey(name, key),
          ...tags.map(tagKey),
          tags.length,
          ...started,
          payload,
          this.store(name).ttlMs,
        ],
      );
      if (stored === 1) this.remember(name, key, tags, value, started);
      else this.count(name).staleDiscarded += 1;
    } catch {
      // Not stored: the next read loads again.
    }
  }

  /** An invalidation, from this instance or (pub/sub) another: bump and drop dependants. */
  private bumpLocal(tags: string[]): void {
    for (const tag of tags) {
      this.generations.set(tag, (this.generations.get(tag) ?? 0) + 1);
      const dependants = this.byTag.get(tag);
      if (!dependants) continue;
      for (const [key, name] of dependants) this.store(name).delete(key);
      this.byTag.delete(tag);
    }
  }

  private remember<T>(
    name: CacheName,
    key: string,
    tags: string[],
    value: T,
    generations: number[],
  ): void {
    (this.store(name) as LruTtlStore<T>).set(key, value, generations);
    for (const tag of tags) {
      let dependants = this.byTag.get(tag);
      if (!dependants) this.byTag.set(tag, (dependants = new Map()));
      dependants.set(key, name);
      // Bounded: the oldest references go (their entries are still checked on every read).
      if (dependants.size > MAX_DEPENDANTS_PER_TAG)
        dependants.delete(dependants.keys().next().value as string);
    }
  }

  private store(name: CacheName): LruTtlStore<unknown> {
    return this.stores.get(name)!;
  }

  private count(name: CacheName): Counters {
    return this.counters.get(name)!;
  }
}

function sameGenerations(a: number[], b: number[]): boolean {
  return a.length === b.length && a.every((g, i) => g === b[i]);
}
