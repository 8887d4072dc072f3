import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { RedisConnectionLimiter } from '../../src/modules/realtime/limits/redis-connection-limiter.js';
import { type RedisServer, startRedisServer } from '../support/redis-server.js';

/**
 * The Redis connection limiter on a Redis of this test's own, two limiters standing for two
 * instances. What the multi-instance spec can only see through timing, placed exactly here:
 * a refresh that runs while an acquire is unanswered.
 */

const LIMITS = { perWorkspace: 2, total: 10 };
const TTL_MS = 60_000;

describe('RedisConnectionLimiter', () => {
  let server: RedisServer;
  const connections: Redis[] = [];
  const limiters: RedisConnectionLimiter[] = [];

  const limiter = async (instanceId: string) => {
    const redis = new Redis(server.url, { lazyConnect: true });
    await redis.connect();
    connections.push(redis);
    const created = new RedisConnectionLimiter(redis, {
      limits: LIMITS,
      instanceId,
      ttlMs: TTL_MS,
    });
    limiters.push(created);
    return created;
  };

  beforeAll(async () => {
    server = await startRedisServer();
  });

  afterEach(async () => {
    await Promise.all(limiters.splice(0).map((l) => l.close()));
    connections.splice(0).forEach((c) => c.disconnect());
    await server.command('FLUSHALL');
  });

  afterAll(async () => {
    await server?.close();
  });

  it('keeps a slot Redis granted when a refresh runs before the grant is answered', async () => {
    const a = await limiter('a');
    const b = await limiter('b');
    // Sent in this order on A's connection: the acquire, then the refresh. Redis runs the
    // acquire first; A counts the slot locally only when its answer arrives, after the
    // refresh read A's local counts.
    const granted = a.acquire('ws-1');
    const refreshed = a.refresh();
    expect(await granted).toEqual({ ok: true });
    await refreshed;

    expect(await a.counts()).toEqual({ total: 1, perWorkspace: { 'ws-1': 1 } });
    expect(await server.command('HGET', 'orch:ws:instance:a', 'ws-1')).toBe('1');
    // So B, the other instance, gets one slot of the workspace's two, not two.
    expect(await b.acquire('ws-1')).toEqual({ ok: true });
    expect(await b.acquire('ws-1')).toEqual({ ok: false, reason: 'workspace_limit', limit: 2 });
  });

  it('rewrites the hash from the local counts when nothing is in flight', async () => {
    const a = await limiter('a');
    expect(await a.acquire('ws-1')).toEqual({ ok: true });
    expect(await a.acquire('ws-2')).toEqual({ ok: true });
    // Counts Redis holds that this instance does not (a hash recreated partly after a loss).
    await server.command('HSET', 'orch:ws:instance:a', 'ws-3', '5', '__total', '7');

    await a.refresh();

    expect(await a.counts()).toEqual({ total: 2, perWorkspace: { 'ws-1': 1, 'ws-2': 1 } });
  });

  it('counts a release made while a refresh is in flight once', async () => {
    const a = await limiter('a');
    expect(await a.acquire('ws-1')).toEqual({ ok: true });
    expect(await a.acquire('ws-1')).toEqual({ ok: true });
    const refreshed = a.refresh();
    const released = a.release('ws-1');
    await Promise.all([refreshed, released]);

    expect(await a.counts()).toEqual({ total: 1, perWorkspace: { 'ws-1': 1 } });
  });
});
