import {
  type CanActivate,
  type ExecutionContext,
  Injectable,
  Logger,
  type OnModuleInit,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import {
  InjectThrottlerOptions,
  InjectThrottlerStorage,
  normalizeIp,
  ThrottlerException,
  type ThrottlerModuleOptions,
  type ThrottlerStorage,
} from '@nestjs/throttler';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { CallerIdentity } from './caller-identity.js';
import { RateLimitCounters } from './rate-limit-counters.js';
import { MemoryThrottlerStorage } from './memory-throttler.storage.js';
import type { ThrottlerRecord } from './redis-throttler.storage.js';
import {
  RATE_LIMIT_SKIP_KEY,
  RATE_LIMIT_TIER_KEY,
  type RateLimitTier,
} from './rate-limit.decorators.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** Who the rate limiter counted this request against. */
    rateLimit?: { tier: RateLimitTier | 'none'; tracker: string };
  }
}

interface TierLimits {
  limit: number;
  /** `limit` as the X-RateLimit-Limit header carries it, built once. */
  limitHeader: string;
  /** The tier's `RateLimit-Policy` value (`"user";q=100;w=60`), built once. */
  policyHeader: string;
  /** The start of its `RateLimit` value (`"user";r=`): a request appends `<r>;t=<t>`. */
  stateHeaderPrefix: string;
  ttl: number;
  blockDuration: number;
}

/** What a route declares, read once per handler: skipped, or its tier for signed-in callers. */
type RouteRule = { skip: true } | { skip: false; tier: RateLimitTier };

/**
 * Global guard, before authentication: every request counts against exactly
 * one tier. Without a valid token that is `anonymous`, keyed by client IP (so
 * failed logins and bad tokens count: the brute-force guard). With one it is
 * the route's tier (default `user`), keyed by user id. Answers 429 in the
 * contract's error format with Retry-After, X-RateLimit-Limit/Remaining/Reset and the IETF
 * draft's RateLimit-Policy / RateLimit.
 * WebSocket contexts pass through untouched.
 *
 * It takes its limits and storage from @nestjs/throttler's module, but not the
 * library guard's request path: that loops over every named throttler with six
 * metadata lookups each (8 tiers here) to find the one that applies. Here a
 * route's rule is read once and the request makes one counter increment.
 */
@Injectable()
export class RateLimitGuard implements CanActivate, OnModuleInit {
  private readonly log = new Logger('RateLimit');
  private readonly tiers = new Map<string, TierLimits>();
  private readonly rules = new WeakMap<object, RouteRule>();

  constructor(
    @InjectThrottlerOptions() private readonly options: ThrottlerModuleOptions,
    @InjectThrottlerStorage() private readonly storage: ThrottlerStorage,
    private readonly reflector: Reflector,
    private readonly identity: CallerIdentity,
    private readonly counters: RateLimitCounters,
  ) {}

  onModuleInit(): void {
    const throttlers = Array.isArray(this.options) ? this.options : this.options.throttlers;
    for (const t of throttlers) {
      if (typeof t.limit !== 'number' || typeof t.ttl !== 'number') {
        throw new Error(`rate-limit tier ${t.name ?? 'default'} needs numeric limit and ttl`);
      }
      const blockDuration = typeof t.blockDuration === 'number' ? t.blockDuration : t.ttl;
      const name = t.name ?? 'default';
      // IETF draft-ietf-httpapi-ratelimit-headers-09: the policy is a String item named after
      // the tier, with its quota `q` per window `w` (seconds).
      const policy = `"${name}"`;
      this.tiers.set(name, {
        limit: t.limit,
        limitHeader: String(t.limit),
        policyHeader: `${policy};q=${t.limit};w=${Math.round(t.ttl / 1000)}`,
        stateHeaderPrefix: `${policy};r=`,
        ttl: t.ttl,
        blockDuration,
      });
    }
  }

  /** Synchronous with the in-process counters; one Redis round trip with the shared ones. */
  canActivate(context: ExecutionContext): boolean | Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const http = context.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const rule = this.ruleOf(context);
    if (rule.skip) {
      request.rateLimit = { tier: 'none', tracker: '' };
      return true;
    }
    const userId = this.identity.userIdFromAuthorization(request.headers.authorization);
    const tier: RateLimitTier = userId ? rule.tier : 'anonymous';
    // IPv6 clients are grouped per /64, as the library does: one host rotating addresses is one client.
    const tracker = userId ? `user:${userId}` : `ip:${normalizeIp(request.ip)}`;
    request.rateLimit = { tier, tracker };
    const limits = this.tiers.get(tier);
    if (!limits) throw new Error(`no limits configured for the ${tier} tier`);
    // One budget per tier and caller, across every route of the tier (not per route).
    const key = `${tier}:${tracker}`;
    const reply = http.getResponse<FastifyReply>();
    if (this.storage instanceof MemoryThrottlerStorage) {
      const record = this.storage.hit(key, limits.ttl, limits.limit, limits.blockDuration, tier);
      return this.settle(reply, tier, tracker, limits, record);
    }
    return this.countShared(reply, tier, tracker, limits, key);
  }

  private async countShared(
    reply: FastifyReply,
    tier: RateLimitTier,
    tracker: string,
    limits: TierLimits,
    key: string,
  ): Promise<boolean> {
    const record = await this.storage.increment(
      key,
      limits.ttl,
      limits.limit,
      limits.blockDuration,
      tier,
    );
    return this.settle(reply, tier, tracker, limits, record);
  }

  /**
   * The headers of every limited answer, in both forms: X-RateLimit-Limit/Remaining/Reset and
   * the IETF draft's `RateLimit-Policy` (precomputed per tier) and `RateLimit` (remaining `r`,
   * seconds to reset `t`); 429 when the caller is over its tier's limit.
   */
  private settle(
    reply: FastifyReply,
    tier: RateLimitTier,
    tracker: string,
    limits: TierLimits,
    record: ThrottlerRecord,
  ): boolean {
    const remaining = String(Math.max(0, limits.limit - record.totalHits));
    const reset = String(record.isBlocked ? record.timeToBlockExpire : record.timeToExpire);
    void reply.header('x-ratelimit-limit', limits.limitHeader);
    void reply.header('x-ratelimit-remaining', remaining);
    void reply.header('x-ratelimit-reset', reset);
    void reply.header('ratelimit-policy', limits.policyHeader);
    void reply.header('ratelimit', `${limits.stateHeaderPrefix}${remaining};t=${reset}`);
    if (!record.isBlocked) return true;
    this.counters.limited[tier] += 1;
    const retryAfter = Math.max(1, record.timeToBlockExpire);
    void reply.header('retry-after', String(retryAfter));
    this.log.debug(`429 for ${tracker} on tier ${tier}`);
    throw new ThrottlerException(
      `Too many requests: ${limits.limit} per ${Math.round(limits.ttl / 1000)} s on the ${tier} tier; retry in ${retryAfter} s`,
    );
  }

  private ruleOf(context: ExecutionContext): RouteRule {
    const handler = context.getHandler();
    let rule = this.rules.get(handler);
    if (!rule) {
      const targets = [handler, context.getClass()];
      const skip = this.reflector.getAllAndOverride<boolean | undefined>(
        RATE_LIMIT_SKIP_KEY,
        targets,
      );
      const tier =
        this.reflector.getAllAndOverride<RateLimitTier | undefined>(RATE_LIMIT_TIER_KEY, targets) ??
        'user';
      rule = skip ? { skip: true } : { skip: false, tier };
      this.rules.set(handler, rule);
    }
    return rule;
  }
}
