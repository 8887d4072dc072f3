import { Injectable } from '@nestjs/common';
import { RATE_LIMIT_TIERS, type RateLimitTier } from './rate-limit.decorators.js';

/** 429s this process answered, by tier (counted only when one is answered). */
@Injectable()
export class RateLimitCounters {
  readonly limited = Object.fromEntries(RATE_LIMIT_TIERS.map((t) => [t, 0])) as Record<
    RateLimitTier,
    number
  >;
}
