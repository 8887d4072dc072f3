import type { Redis } from 'ioredis';
import type { ConnectionLimiter, Limits } from './connection-limiter.js';
import { LocalConnectionLimiter } from './local-connection-limiter.js';
import { RedisConnectionLimiter } from './redis-connection-limiter.js';

/** With Redis, limits counted across every instance; without, this process's sockets only. */
export function createConnectionLimiter(options: {
  redis: Redis | undefined;
  limits: Limits;
  instanceId: string;
  instanceTtlMs: number;
}): ConnectionLimiter {
  const { redis, limits, instanceId, instanceTtlMs } = options;
  return redis
    ? new RedisConnectionLimiter(redis, { limits, instanceId, ttlMs: instanceTtlMs })
    : new LocalConnectionLimiter(limits);
}
