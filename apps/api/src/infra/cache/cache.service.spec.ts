import 'reflect-metadata';
import type { CacheStatsEntry } from '@orch/contracts';
import { describe, expect, it } from 'vitest';
import { AppConfig } from '../config/app-config.js';
import { Optimizations } from '../optimizations/optimizations.js';
import { RedisConnection } from '../redis/redis.connection.js';
import { agentListCache } from '../../modules/agents/agents.cache.js';
import { dashboardCache } from '../../modules/dashboard/dashboard.cache.js';
import { quotaStatusCache } from '../../modules/quota/quota.cache.js';
import { membershipCache, workspaceCache } from '../../modules/workspaces/workspaces.cache.js';
import { CacheService } from './cache.service.js';

/**
 * The cache service on its own, in-process tier only (no REDIS_URL): the counters, the tag
 * generations, single flight, the generation guard and the clock. The HTTP-level behaviour, and
 * the Redis tier across processes, are in apps/api/test/integration/caching*.spec.ts.
 */

const JWT_SECRET = 'unit-test-secret-that-is-at-least-32-characters';

function cacheService(env: Record<string, string> = {}): CacheService {
  const config = AppConfig.from({
    NODE_ENV: 'test',
    JWT_SECRET,
    CACHE_WORKSPACE_MAX: '3',
    CACHE_WORKSPACE_TTL_MS: '1000',
    CACHE_AGENTS_MAX: '2000',
    ...env,
  });
  const cache = new CacheService(
    config,
    new Optimizations(config.optimizations),
    new RedisConnection(config),
  );
  // What the modules declare (AppCacheModule.forFeature) when the app starts.
  cache.declare([
    workspaceCache,
    membershipCache,
    dashboardCache,
    agentListCache,
    quotaStatusCache,
  ]);
  return cache;
}

type CacheName = 'workspace' | 'membership' | 'dashboard' | 'agents' | 'quota';

/** A promise the test resolves when it chooses. */
function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** A loader that counts its calls and answers `value()` at the time of the call. */
function countingLoader<T>(value: () => T) {
  const loader = async () => {
    loader.calls += 1;
    return value();
  };
  loader.calls = 0;
  return loader;
}

const entry = (cache: CacheService, name: CacheName): CacheStatsEntry => cache.stats().caches[name];

/** Lets pending promise callbacks run. */
const flush = () => new Promise((resolve) => setImmediate(resolve));

describe('CacheService (in-process tier)', () => {
  it('loads on a miss, serves hits without the loader, and counts both exactly', async () => {
    const cache = cacheService();
    const load = countingLoader(() => ({ name: 'W' }));
    const results = [];
    for (let i = 0; i < 4; i++) results.push(await cache.wrap('workspace', 'w1', ['ws:1'], load));

    expect(load.calls).toBe(1);
    expect(results).toEqual(Array.from({ length: 4 }, () => ({ name: 'W' })));
    expect(entry(cache, 'workspace')).toEqual({
      enabled: true,
      hits: 3,
      misses: 1,
      hitRate: 0.75,
      evictions: 0,
      expirations: 0,
      staleDiscarded: 0,
      size: 1,
      maxEntries: 3,
      ttlSeconds: 1,
    });
    // The other caches saw nothing.
    expect(entry(cache, 'dashboard')).toMatchObject({ hits: 0, misses: 0, hitRate: 0, size: 0 });
    expect(cache.stats().tiers).toEqual(['memory']);
  });

  it('rounds the hit rate to four decimals', async () => {
    const cache = cacheService();
    const load = countingLoader(() => 1);
    for (let i = 0; i < 3; i++) await cache.wrap('agents', 'a', ['t'], load);
    expect(entry(cache, 'agents').hitRate).toBe(0.6667);
  });

  it('does not store what cacheIf refuses (e.g. not found): every read loads', async () => {
    const cache = cacheService();
    const load = countingLoader(() => null);
    for (let i = 0; i < 3; i++) {
      expect(
        await cache.wrap('workspace', 'missing', ['ws:m'], load, (v) => v !== null),
      ).toBeNull();
    }
    expect(load.calls).toBe(3);
    expect(entry(cache, 'workspace')).toMatchObject({ hits: 0, misses: 3, size: 0 });
  });

  it('an invalidation makes every dependant stale at once, and only those', async () => {
    const cache = cacheService();
    let version = 1;
    const dashboard = countingLoader(() => `dashboard v${version}`);
    const agents = countingLoader(() => `agents v${version}`);
    const other = countingLoader(() => `other v${version}`);
    const read = () =>
      Promise.all([
        cache.wrap('dashboard', 'd:1', ['ws:1', 'ws:1:agents', 'ws:1:goals'], dashboard),
        cache.wrap('agents', 'a:1', ['ws:1:agents'], agents),
        cache.wrap('agents', 'a:2', ['ws:2:agents'], other),
      ]);
    expect(await read()).toEqual(['dashboard v1', 'agents v1', 'other v1']);
    expect(entry(cache, 'dashboard').size).toBe(1);
    expect(entry(cache, 'agents').size).toBe(2);

    version = 2;
    await cache.invalidate(['ws:1:agents']);
    // Dropped at once, before any read.
    expect(entry(cache, 'dashboard').size).toBe(0);
    expect(entry(cache, 'agents').size).toBe(1);
    expect(await read()).toEqual(['dashboard v2', 'agents v2', 'other v1']);
    expect([dashboard.calls, agents.calls, other.calls]).toEqual([2, 2, 1]);

    // Any one of several tags is enough.
    version = 3;
    await cache.invalidate(['ws:1:goals']);
    expect(await read()).toEqual(['dashboard v3', 'agents v2', 'other v1']);
    await cache.invalidate([]);
    expect(await read()).toEqual(['dashboard v3', 'agents v2', 'other v1']);
    expect([dashboard.calls, agents.calls, other.calls]).toEqual([3, 2, 1]);
  });

  it('still checks generations on read when an entry fell out of its tag index', async () => {
    // The tag index keeps at most 1,000 dependants per tag; older ones are found stale on read.
    const cache = cacheService();
    let version = 1;
    const load = countingLoader(() => version);
    for (let i = 0; i <= 1_000; i++) await cache.wrap('agents', `k${i}`, ['big'], load);
    expect(entry(cache, 'agents').size).toBe(1_001);

    version = 2;
    await cache.invalidate(['big']);
    // k0's reference was dropped from the index: it is still in the store...
    expect(entry(cache, 'agents').size).toBe(1);
    // ...but it is not served.
    expect(await cache.wrap('agents', 'k0', ['big'], load)).toBe(2);
    expect(entry(cache, 'agents').staleDiscarded).toBe(1);
  });

  it('runs the loader once for 50 concurrent misses on one key (single flight)', async () => {
    const cache = cacheService();
    const gate = deferred<void>();
    const load = countingLoader(async () => {
      await gate.promise;
      return { id: 'w1' };
    });
    const pending = Array.from({ length: 50 }, () => cache.wrap('workspace', 'w1', ['ws:1'], load));
    await flush();
    gate.resolve();
    const results = await Promise.all(pending);

    expect(load.calls).toBe(1);
    expect(new Set(results).size).toBe(1);
    expect(entry(cache, 'workspace')).toMatchObject({ hits: 49, misses: 1, size: 1 });
  });

  it('shares a failed load with the callers waiting on it, caches nothing, and loads again next time', async () => {
    const cache = cacheService();
    const gate = deferred<string>();
    let calls = 0;
    const failing = () => {
      calls += 1;
      return gate.promise;
    };
    const first = cache.wrap('quota', 'q', ['ws:1:quota'], failing);
    const second = cache.wrap('quota', 'q', ['ws:1:quota'], failing);
    gate.reject(new Error('database down'));
    await expect(first).rejects.toThrow('database down');
    await expect(second).rejects.toThrow('database down');
    expect(calls).toBe(1);
    expect(entry(cache, 'quota').size).toBe(0);

    const load = countingLoader(() => 'ok');
    expect(await cache.wrap('quota', 'q', ['ws:1:quota'], load)).toBe('ok');
    expect(load.calls).toBe(1);
  });

  describe('the generation guard', () => {
    it('does not store a value whose load straddled an invalidation', async () => {
      const cache = cacheService();
      let row = 'old';
      const gate = deferred<void>();
      let calls = 0;
      const slow = async () => {
        calls += 1;
        const read = row; // the load reads the row before the write...
        await gate.promise; // ...and finishes after it was acknowledged
        return read;
      };
      const straddling = cache.wrap('workspace', 'w1', ['ws:1'], slow);
      await flush();
      row = 'new';
      await cache.invalidate(['ws:1']);
      gate.resolve();
      // The caller that asked before the write gets what was read then...
      expect(await straddling).toBe('old');
      expect(entry(cache, 'workspace')).toMatchObject({ staleDiscarded: 1, size: 0 });

      // ...but it was not published: the next read loads the new value.
      const fresh = countingLoader(() => row);
      expect(await cache.wrap('workspace', 'w1', ['ws:1'], fresh)).toBe('new');
      expect(await cache.wrap('workspace', 'w1', ['ws:1'], fresh)).toBe('new');
      expect(fresh.calls).toBe(1);
      expect(calls).toBe(1);
    });

    it('does not let a read that begins after an invalidation join a load that began before it', async () => {
      // Read-after-write: once invalidate() has resolved (the write is acknowledged), no read
      // may answer with a value loaded before it, single flight or not.
      const cache = cacheService();
      let row = 'old';
      const gate = deferred<void>();
      const slow = async () => {
        const read = row;
        await gate.promise;
        return read;
      };
      const before = cache.wrap('workspace', 'w1', ['ws:1'], slow);
      await flush();
      row = 'new';
      await cache.invalidate(['ws:1']);
      const after = cache.wrap('workspace', 'w1', ['ws:1'], async () => row);
      gate.resolve();
      expect(await before).toBe('old');
      expect(await after).toBe('new');
    });
  });

  describe('the clock (`now`)', () => {
    it('expires entries after their TTL on the replaceable clock, and counts the expiry', async () => {
      const cache = cacheService();
      let now = 5_000_000;
      cache.now = () => now;
      const load = countingLoader(() => 'v');
      await cache.wrap('workspace', 'w1', ['ws:1'], load);
      now += 999;
      await cache.wrap('workspace', 'w1', ['ws:1'], load);
      expect(load.calls).toBe(1);
      now += 1;
      await cache.wrap('workspace', 'w1', ['ws:1'], load);
      expect(load.calls).toBe(2);
      expect(entry(cache, 'workspace')).toMatchObject({ hits: 1, misses: 2, expirations: 1 });
    });

    it('cleanup() drops the expired entries of every cache and says how many per cache', async () => {
      const cache = cacheService({ CACHE_QUOTA_TTL_MS: '500' });
      let now = 5_000_000;
      cache.now = () => now;
      const load = countingLoader(() => 'v');
      await cache.wrap('workspace', 'w1', ['ws:1'], load);
      await cache.wrap('workspace', 'w2', ['ws:2'], load);
      await cache.wrap('quota', 'q1', ['ws:1:quota'], load);
      await cache.wrap('dashboard', 'd1', ['ws:1'], load);

      now += 500;
      expect(cache.cleanup()).toEqual({
        workspace: 0,
        membership: 0,
        dashboard: 0,
        agents: 0,
        quota: 1,
      });
      now += 500;
      expect(cache.cleanup()).toEqual({
        workspace: 2,
        membership: 0,
        dashboard: 0,
        agents: 0,
        quota: 0,
      });
      expect(cache.cleanup()).toEqual({
        workspace: 0,
        membership: 0,
        dashboard: 0,
        agents: 0,
        quota: 0,
      });
      expect(entry(cache, 'workspace')).toMatchObject({ size: 0, expirations: 2 });
      expect(entry(cache, 'dashboard').size).toBe(1);
    });
  });

  it('evicts beyond CACHE_*_MAX and counts the evictions', async () => {
    const cache = cacheService();
    const load = countingLoader(() => 'v');
    for (const id of ['1', '2', '3', '4']) await cache.wrap('workspace', id, [`ws:${id}`], load);
    expect(entry(cache, 'workspace')).toMatchObject({ size: 3, evictions: 1 });
    await cache.wrap('workspace', '1', ['ws:1'], load);
    expect(load.calls).toBe(5);
    expect(entry(cache, 'workspace').evictions).toBe(2);
  });

  describe('the switches', () => {
    it('without workspace-cache, workspace and membership reads always load and count nothing', async () => {
      const cache = cacheService({ OPTIMIZATIONS: 'batching,response-cache' });
      const load = countingLoader(() => 'v');
      for (let i = 0; i < 3; i++) {
        await cache.wrap('workspace', 'w', ['ws:1'], load);
        await cache.wrap('membership', 'm', ['ws:1:members'], load);
      }
      expect(load.calls).toBe(6);
      for (const name of ['workspace', 'membership'] as const) {
        expect(entry(cache, name)).toMatchObject({ enabled: false, hits: 0, misses: 0, size: 0 });
      }
      // response-cache is on: the dashboard is cached.
      await cache.wrap('dashboard', 'd', ['ws:1'], load);
      await cache.wrap('dashboard', 'd', ['ws:1'], load);
      expect(load.calls).toBe(7);
      expect(entry(cache, 'dashboard')).toMatchObject({ enabled: true, hits: 1, misses: 1 });
    });

    it('without response-cache, dashboard, agents and quota always load', async () => {
      const cache = cacheService({ OPTIMIZATIONS: 'workspace-cache' });
      const load = countingLoader(() => 'v');
      for (const name of ['dashboard', 'agents', 'quota'] as const) {
        await cache.wrap(name, 'k', ['t'], load);
        await cache.wrap(name, 'k', ['t'], load);
        expect(entry(cache, name)).toMatchObject({ enabled: false, hits: 0, misses: 0 });
      }
      expect(load.calls).toBe(6);
      expect(entry(cache, 'workspace').enabled).toBe(true);
    });
  });
});
