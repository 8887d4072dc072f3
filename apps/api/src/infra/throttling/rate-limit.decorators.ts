import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiExtension } from '@nestjs/swagger';
import { NO_RATE_LIMIT_EXTENSION } from '../http/openapi/document.js';

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
export const NoRateLimit = () =>
  applyDecorators(
    SetMetadata(RATE_LIMIT_SKIP_KEY, true),
    // The OpenAPI document gives every other operation its 429 and rate-limit headers.
    ApiExtension(NO_RATE_LIMIT_EXTENSION, true),
  );
