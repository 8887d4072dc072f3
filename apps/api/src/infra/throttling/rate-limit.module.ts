import { Logger, Module } from '@nestjs/common';
import { ThrottlerModule } from '@nestjs/throttler';
import { AppConfig } from '../config/app-config.js';
import { RedisConnection } from '../redis/redis.connection.js';
import { RATE_LIMIT_TIERS } from './rate-limit.decorators.js';
import { MemoryThrottlerStorage } from './memory-throttler.storage.js';
import { RateLimitCounters } from './rate-limit-counters.js';
import { RedisThrottlerStorage } from './redis-throttler.storage.js';

const WINDOW_MS = 60_000;

/**
 * The guard itself (RateLimitGuard) is registered by the auth module, which
 * provides the CallerIdentity it needs, ahead of the access guard.
 *
 * One named throttler per tier (RateLimitGuard applies exactly one per request);
 * counters in Redis when REDIS_URL is set (shared by every instance),
 * otherwise in this process. The active limits are logged at start.
 */
@Module({
  imports: [
    ThrottlerModule.forRootAsync({
      inject: [AppConfig, RedisConnection],
      useFactory: (config: AppConfig, redis: RedisConnection) => {
        const local = new MemoryThrottlerStorage();
        const storage = redis.client
          ? new RedisThrottlerStorage(redis.client, local, config.rateLimits.redisFailure)
          : local;
        const limits = config.rateLimits.perMinute;
        new Logger('RateLimit').log(
          `limits per minute (x${config.rateLimits.multiplier}): ${RATE_LIMIT_TIERS.map((t) => `${t} ${limits[t]}`).join(', ')}; counters ${redis.client ? 'in Redis' : 'in this process'}`,
        );
        return {
          storage,
          throttlers: RATE_LIMIT_TIERS.map((tier) => ({
            name: tier,
            ttl: WINDOW_MS,
            limit: limits[tier],
            blockDuration: WINDOW_MS,
          })),
        };
      },
    }),
  ],
  providers: [RateLimitCounters],
  exports: [ThrottlerModule, RateLimitCounters],
})
export class RateLimitModule {}
