import { Injectable, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import type { CacheStats, CacheStatsEntry } from '@orch/contracts';
import { AppConfig, ConfigError } from '../config/app-config.js';
import { Optimizations } from '../optimizations/optimizations.js';
import { RedisConnection } from '../redis/redis.connection.js';
import {
  type AnyCacheDeclaration,
  type CacheDeclaration,
  type CacheTag,
  cacheEnvPrefix,
} from './cache-declaration.js';
import type { Awaitable } from '../../core/awaitable.js';
import { CachedBody } from '../http/cached-body.js';
import { type CachedEntry, MemoryTier, SharedTier } from './cache-tiers.js';
import { sameGenerations, TagGenerations } from './tag-generations.js';

const MAX_DEPENDANTS_PER_TAG = 1_000;
const always = () => true;
const isBody = (body: CachedBody<unknown> | null) => body !== null;
const reviveBody = <T>(body: CachedBody<T> | null) => body && CachedBody.revive(body);
const asStored = <T>(stored: T) => stored;

interface Registered {
  declaration: AnyCacheDeclaration;
  memory: MemoryTier<unknown>;
  counters: { hits: number; misses: number; loads: number; staleDiscarded: number };
}

/**
 * The cache of every module's declared reads (see cache-declaration.ts): a
 * bounded in-process tier per cache and, with REDIS_URL, a tier every instance
 * shares, both on cache-manager. On top of it, what cache-manager does not do:
 * - every entry records the generation of each tag it depends on, and a write
 *   bumps tags, so a stale entry is never served: reads compare the entry's
 *   generations with the current ones (with Redis, fetched in one MGET on every
 *   read, so a read after an acknowledged write never sees the old value on
 *   any instance, whether or not the pub/sub message has arrived yet);
 * - a load that started before an invalidation does not store its old value
 *   (the store is conditional on the generations it started from);
 * - concurrent misses for one key run the loader once (single flight);
 * - pub/sub tells the other instances to drop their in-process copies at once.
 * While Redis is unreachable every read goes to the database (the in-process
 * tier is bypassed, since other instances' writes can't be heard).
 */
@Injectable()
export class CacheService implements OnModuleInit, OnApplicationShutdown {
  private readonly caches = new Map<string, Registered>();
  private readonly tags = new Map<string, CacheTag>();
  private readonly inFlight = new Map<string, Promise<unknown>>();
  /** Which in-process entries depend on a tag, so an invalidation can drop them at once. */
  private readonly byTag = new Map<string, Map<string, Registered>>();
  private readonly generations: TagGenerations;
  private readonly shared: SharedTier | undefined;
  /** Replaced by tests that need to move time. */
  now: () => number = Date.now;

  constructor(
    private readonly config: AppConfig,
    private readonly optimizations: Optimizations,
    connection: RedisConnection,
  ) {
    this.generations = new TagGenerations(
      connection.client,
      (tags) => this.dropDependants(tags),
      async () => {
        this.dropEverything();
        await this.shared?.ready(2_000);
      },
    );
    this.shared = config.redisUrl ? new SharedTier(config.redisUrl) : undefined;
  }

  /** Registers modules' caches (AppCacheModule.forFeature); a name can be declared once. */
  declare(declarations: readonly AnyCacheDeclaration[]): void {
    for (const declaration of declarations) {
      const existing = this.caches.get(declaration.name);
      if (existing && existing.declaration !== declaration) {
        throw new Error(`two caches are declared with the name ${declaration.name}`);
      }
      if (existing) continue;
      const { maxEntries, ttlMs } = this.settingsOf(declaration);
      this.caches.set(declaration.name, {
        declaration,
        memory: new MemoryTier(maxEntries, ttlMs, () => this.now()),
        counters: { hits: 0, misses: 0, loads: 0, staleDiscarded: 0 },
      });
      for (const tag of declaration.dependsOn) this.tags.set(tag.name, tag);
    }
  }

  /** The tags registered through the declared caches: what the invalidation bumps. */
  registeredTags(): CacheTag[] {
    return [...this.tags.values()];
  }

  async onModuleInit(): Promise<void> {
    // A CACHE_<NAME>_* variable for a cache nobody declared is a typo: stop at boot.
    const declared = new Set([...this.caches.keys()].map(cacheEnvPrefix));
    const unknown = [...this.config.cacheSettings.keys()].filter((prefix) => !declared.has(prefix));
    if (unknown.length > 0) {
      throw new ConfigError(
        unknown.map(
          (prefix) =>
            `${prefix}*: no cache of that name is declared (declared: ${[...this.caches.keys()].join(', ')})`,
        ),
      );
    }
    this.shared?.start();
    await this.generations.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.generations.stop();
    await this.shared?.stop();
  }

  /** Is the cache in use (its declaration's optimization switch)? */
  enabled(name: string): boolean {
    return this.optimizations.isOn(this.registered(name).declaration.optimization);
  }

  /**
   * A module's read through its declared cache: the key and tags come from the
   * declaration. A current in-process entry is the value itself, not a promise.
   */
  get<Args, T>(
    declaration: CacheDeclaration<Args>,
    args: Args,
    loader: () => Promise<T>,
    cacheIf: (value: T) => boolean = always,
    revive?: (stored: T) => T,
  ): Awaitable<T> {
    const workspaceId = declaration.workspaceOf(args);
    return this.wrap(
      declaration.name,
      declaration.key(args),
      declaration.dependsOn.map((tag) => tag.of(workspaceId)),
      loader,
      cacheIf,
      revive,
    );
  }

  /**
   * A cached read answered with stored bytes: the loaded value is serialised
   * once, tagged with a strong ETag, and the same bytes serve every hit on this
   * instance (and, through Redis, on the others). Null (e.g. not found) is
   * never cached. With the cache switched off, every call loads and serialises,
   * without an ETag (the baseline has none).
   */
  bodyOrNull<Args, T>(
    declaration: CacheDeclaration<Args>,
    args: Args,
    loader: () => Promise<T | null>,
  ): Awaitable<CachedBody<T> | null> {
    if (!this.optimizations.isOn(declaration.optimization)) {
      return loader().then((value) =>
        value === null ? null : CachedBody.of(value, { tagged: false }),
      );
    }
    return this.get<Args, CachedBody<T> | null>(
      declaration,
      args,
      () =>
        loader().then((value) => (value === null ? null : CachedBody.of(value, { tagged: true }))),
      isBody,
      reviveBody,
    );
  }

  /** `bodyOrNull` for a loader that always finds its value (an object) or throws. */
  body<Args, T extends object>(
    declaration: CacheDeclaration<Args>,
    args: Args,
    loader: () => Promise<T>,
  ): Awaitable<CachedBody<T>> {
    return this.bodyOrNull(declaration, args, loader) as Awaitable<CachedBody<T>>;
  }

  /**
   * The value for `key` of cache `name`, loaded by `loader` on a miss. `tags`
   * name what the value depends on; `cacheIf` can refuse to cache a result (e.g. not found).
   */
  wrap<T>(
    name: string,
    key: string,
    tags: string[],
    loader: () => Promise<T>,
    cacheIf: (value: T) => boolean = always,
    /** Turns a value back from the shared tier's JSON into what the loader returns. */
    revive: (stored: T) => T = asStored,
  ): Awaitable<T> {
    const cache = this.registered(name);
    if (!this.optimizations.isOn(cache.declaration.optimization)) return loader();
    if (!this.generations.shared) {
      // The hot path without Redis: a current in-process entry is answered now, no promise.
      const entry = (cache.memory as MemoryTier<T>).peek(key);
      if (entry && sameGenerations(entry.generations, this.generations.currentLocal(tags))) {
        cache.counters.hits += 1;
        return entry.value;
      }
    }
    return this.read(cache, key, tags, loader, cacheIf, revive);
  }

  /** After a write commits: every value depending on one of `tags` is stale, here and everywhere. */
  invalidate(tags: string[]): Promise<void> {
    return this.generations.bump(tags);
  }

  stats(): CacheStats {
    const caches: Record<string, CacheStatsEntry> = {};
    for (const [name, { memory, counters: c }] of this.caches) {
      const lookups = c.hits + c.misses;
      caches[name] = {
        enabled: this.enabled(name),
        hits: c.hits,
        misses: c.misses,
        hitRate: lookups === 0 ? 0 : Math.round((c.hits / lookups) * 10_000) / 10_000,
        evictions: memory.evictions,
        expirations: memory.expirations,
        staleDiscarded: c.staleDiscarded,
        size: memory.size,
        maxEntries: memory.maxEntries,
        ttlSeconds: memory.ttlMs / 1000,
      };
    }
    return { tiers: this.shared ? ['memory', 'redis'] : ['memory'], caches };
  }

  /** Drops expired in-process entries; how many per cache. */
  cleanup(): Record<string, number> {
    return Object.fromEntries(
      [...this.caches].map(([name, { memory }]) => [name, memory.purgeExpired()]),
    );
  }

  private async read<T>(
    cache: Registered,
    key: string,
    tags: string[],
    loader: () => Promise<T>,
    cacheIf: (value: T) => boolean,
    revive: (stored: T) => T,
  ): Promise<T> {
    const { counters } = cache;
    const memory = cache.memory as MemoryTier<T>;
    let current: number[];
    try {
      current = await this.generations.current(tags);
    } catch {
      // Redis is down: no tier can be trusted to be current. Straight to the database.
      counters.misses += 1;
      return loader();
    }

    const local = memory.peek(key);
    if (local && sameGenerations(local.generations, current)) {
      counters.hits += 1;
      return local.value;
    }
    if (local) {
      memory.delete(key);
      counters.staleDiscarded += 1;
    }
    if (this.shared) {
      const remote = await this.shared.get<T>(cache.declaration.name, key);
      if (remote && remote.expiresAt > this.now() && sameGenerations(remote.generations, current)) {
        counters.hits += 1;
        const value = revive(remote.value);
        await this.remember(cache, key, tags, value, current);
        return value;
      }
    }

    // Single flight per key *and generations*: concurrent misses share one load, but a
    // read that starts after an invalidation never joins a load that began before it.
    const flightKey = `${cache.declaration.name}:${key}:${current.join('.')}`;
    const flying = this.inFlight.get(flightKey) as Promise<T> | undefined;
    if (flying) {
      counters.hits += 1;
      return flying;
    }
    counters.misses += 1;
    counters.loads += 1;
    const flight = (async () => {
      const value = await loader();
      if (cacheIf(value)) await this.storeIfCurrent(cache, key, tags, current, value);
      return value;
    })();
    this.inFlight.set(flightKey, flight);
    try {
      return await flight;
    } finally {
      if (this.inFlight.get(flightKey) === flight) this.inFlight.delete(flightKey);
    }
  }

  /**
   * The generation guard: nothing is stored if a tag moved while the value was
   * loading. With Redis the check and the write are two commands; a value that
   * slips between them is stored under its old generations and so never served.
   */
  private async storeIfCurrent<T>(
    cache: Registered,
    key: string,
    tags: string[],
    started: number[],
    value: T,
  ): Promise<void> {
    try {
      const now = this.shared
        ? await this.generations.current(tags)
        : this.generations.currentLocal(tags);
      if (!sameGenerations(now, started)) {
        cache.counters.staleDiscarded += 1;
        return;
      }
      // In memory even if the shared tier fails: reads verify it against the generations.
      await this.remember(cache, key, tags, value, started);
      if (this.shared) {
        const entry: CachedEntry<T> = {
          value,
          generations: started,
          expiresAt: this.now() + cache.memory.ttlMs,
        };
        await this.shared.set(cache.declaration.name, key, entry, cache.memory.ttlMs);
      }
    } catch {
      // Not stored (or only here): the next read on another instance loads again.
    }
  }

  private async remember<T>(
    cache: Registered,
    key: string,
    tags: string[],
    value: T,
    generations: number[],
  ): Promise<void> {
    await (cache.memory as MemoryTier<T>).set(key, value, generations);
    for (const tag of tags) {
      let dependants = this.byTag.get(tag);
      if (!dependants) this.byTag.set(tag, (dependants = new Map()));
      dependants.set(`${cache.declaration.name}\u0000${key}`, cache);
      // Bounded: the oldest references go (their entries are still checked on every read).
      if (dependants.size > MAX_DEPENDANTS_PER_TAG)
        dependants.delete(dependants.keys().next().value as string);
    }
  }

  /** An invalidation, from this instance or (pub/sub) another: drop the dependants now. */
  private dropDependants(tags: string[]): void {
    for (const tag of tags) {
      const dependants = this.byTag.get(tag);
      if (!dependants) continue;
      for (const [ref, cache] of dependants)
        cache.memory.delete(ref.slice(ref.indexOf('\u0000') + 1));
      this.byTag.delete(tag);
    }
  }

  private dropEverything(): void {
    for (const { memory } of this.caches.values()) memory.clear();
    this.byTag.clear();
  }

  private registered(name: string): Registered {
    const cache = this.caches.get(name);
    if (!cache) throw new Error(`no cache named ${name} is declared`);
    return cache;
  }

  private settingsOf(declaration: AnyCacheDeclaration): { maxEntries: number; ttlMs: number } {
    const overrides = this.config.cacheSettings.get(cacheEnvPrefix(declaration.name));
    return {
      maxEntries: overrides?.maxEntries ?? declaration.defaults.maxEntries,
      ttlMs: overrides?.ttlMs ?? declaration.defaults.ttlMs,
    };
  }
}
