import { Logger } from '@nestjs/common';
import type { ThrottlerStorage } from '@nestjs/throttler';
import type { Redis } from 'ioredis';

export interface ThrottlerRecord {
  totalHits: number;
  timeToExpire: number;
  isBlocked: boolean;
  timeToBlockExpire: number;
}

/**
 * Fixed window per key, atomically in Redis: INCR, set the window's expiry on
 * the first hit, and once over the limit a block key for `blockDuration`.
 * One round trip per request. Times come back in seconds, like the in-memory storage.
 */
const SCRIPT = `
local hits_key, block_key = KEYS[1], KEYS[2]
local ttl, limit, block = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local block_ttl = redis.call('PTTL', block_key)
if block_ttl > 0 then
  local hits = tonumber(redis.call('GET', hits_key) or '0')
  return { hits, redis.call('PTTL', hits_key), 1, block_ttl }
end
local hits = redis.call('INCR', hits_key)
if hits == 1 then redis.call('PEXPIRE', hits_key, ttl) end
local hits_ttl = redis.call('PTTL', hits_key)
if hits > limit then
  redis.call('SET', block_key, '1', 'PX', block)
  return { hits, hits_ttl, 1, block }
end
return { hits, hits_ttl, 0, 0 }
`;

export type RedisFailurePolicy = 'local' | 'open' | 'closed';

/**
 * Shared counters for every API instance. When Redis fails, RATE_LIMIT_REDIS_FAILURE
 * decides: `local` (default) counts in this process until Redis is back,
 * `open` lets requests through, `closed` refuses them. Logged once per outage.
 */
export class RedisThrottlerStorage implements ThrottlerStorage {
  private readonly logger = new Logger('RateLimit');
  private failing = false;

  constructor(
    private readonly redis: Redis,
    private readonly fallback: ThrottlerStorage,
    private readonly policy: RedisFailurePolicy,
    private readonly prefix = 'orch:rl',
  ) {
    redis.defineCommand('orchThrottle', { numberOfKeys: 2, lua: SCRIPT });
  }

  async increment(
    key: string,
    ttl: number,
    limit: number,
    blockDuration: number,
    throttlerName: string,
  ): Promise<ThrottlerRecord> {
    const base = `${this.prefix}:${throttlerName}:${key}`;
    try {
      const [hits, hitsTtl, blocked, blockTtl] = (await (
        this.redis as unknown as {
          orchThrottle(a: string, b: string, ...args: number[]): Promise<number[]>;
        }
      ).orchThrottle(`${base}:hits`, `${base}:block`, ttl, limit, blockDuration)) as number[];
      if (this.failing) {
        this.failing = false;
        this.logger.log('Redis is back: rate limits are shared again');
      }
      return {
        totalHits: hits,
        timeToExpire: Math.max(0, Math.ceil(hitsTtl / 1000)),
        isBlocked: blocked === 1,
        timeToBlockExpire: Math.max(0, Math.ceil(blockTtl / 1000)),
      };
    } catch (error) {
      if (!this.failing) {
        this.failing = true;
        this.logger.error(
          `Redis failed (${error instanceof Error ? error.message : String(error)}); policy RATE_LIMIT_REDIS_FAILURE=${this.policy} applies until it is back`,
        );
      }
      if (this.policy === 'open')
        return { totalHits: 0, timeToExpire: 0, isBlocked: false, timeToBlockExpire: 0 };
      if (this.policy === 'closed') {
        return { totalHits: limit + 1, timeToExpire: 1, isBlocked: true, timeToBlockExpire: 1 };
      }
      return this.fallback.increment(key, ttl, limit, blockDuration, throttlerName);
    }
  }
}
