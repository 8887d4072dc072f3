import { SetMetadata } from '@nestjs/common';

/**
 * The rate-limit tier of a route for authenticated callers. Unauthenticated
 * requests always count against the `anonymous` tier of their IP instead.
 */
export const RATE_LIMIT_TIERS = [
  'anonymous',
  'user',
  'ingest',
  'regenerate',
  'quota-status',
  'quota-check',
  'quota-usage',
  'quota-notifications',
] as const;
export type RateLimitTier = (typeof RATE_LIMIT_TIERS)[number];

export const RATE_LIMIT_TIER_KEY = 'orch:rate-limit-tier';
export const RATE_LIMIT_SKIP_KEY = 'orch:rate-limit-skip';

export const RateLimit = (tier: Exclude<RateLimitTier, 'anonymous'>) =>
  SetMetadata(RATE_LIMIT_TIER_KEY, tier);

/** Not limited at all: only for health checks that load balancers poll. */
export const NoRateLimit = () => SetMetadata(RATE_LIMIT_SKIP_KEY, true);
