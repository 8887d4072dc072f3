import { type ExecutionContext, Injectable, Logger } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import {
  InjectThrottlerOptions,
  InjectThrottlerStorage,
  normalizeIp,
  ThrottlerException,
  ThrottlerGuard,
  type ThrottlerModuleOptions,
  type ThrottlerRequest,
  type ThrottlerStorage,
} from '@nestjs/throttler';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { CallerIdentity } from './caller-identity.js';
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

/**
 * Global guard, before authentication: every request counts against exactly
 * one tier. Without a valid token that is `anonymous`, keyed by client IP (so
 * failed logins and bad tokens count: the brute-force guard). With one it is
 * the route's tier (default `user`), keyed by user id. Answers 429 in the
 * contract's error format with Retry-After and X-RateLimit-Limit/Remaining/Reset.
 * WebSocket contexts pass through untouched.
 */
@Injectable()
export class RateLimitGuard extends ThrottlerGuard {
  private readonly log = new Logger('RateLimit');

  constructor(
    @InjectThrottlerOptions() options: ThrottlerModuleOptions,
    @InjectThrottlerStorage() storage: ThrottlerStorage,
    reflector: Reflector,
    private readonly identity: CallerIdentity,
  ) {
    super(options, storage, reflector);
  }

  override async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const skip = this.reflector.getAllAndOverride<boolean | undefined>(RATE_LIMIT_SKIP_KEY, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (skip) {
      request.rateLimit = { tier: 'none', tracker: '' };
      return true;
    }
    const userId = this.identity.userIdFromAuthorization(request.headers.authorization);
    const tier: RateLimitTier = userId
      ? (this.reflector.getAllAndOverride<RateLimitTier | undefined>(RATE_LIMIT_TIER_KEY, [
          context.getHandler(),
          context.getClass(),
        ]) ?? 'user')
      : 'anonymous';
    // IPv6 clients are grouped per /64, as the library does: one host rotating addresses is one client.
    request.rateLimit = {
      tier,
      tracker: userId ? `user:${userId}` : `ip:${normalizeIp(request.ip)}`,
    };
    return super.canActivate(context);
  }

  /** Only the caller's tier applies to a request; the other throttlers skip it. */
  static appliesTo(tier: RateLimitTier, context: ExecutionContext): boolean {
    return context.switchToHttp().getRequest<FastifyRequest>().rateLimit?.tier === tier;
  }

  /** One budget per tier and caller, across every route of the tier (not per route). */
  protected override generateKey(
    _context: ExecutionContext,
    tracker: string,
    throttlerName: string,
  ): string {
    return `${throttlerName}:${tracker}`;
  }

  protected override async getTracker(request: Record<string, unknown>): Promise<string> {
    return (request as unknown as FastifyRequest).rateLimit?.tracker ?? 'unknown';
  }

  /** Like the library's, but with the standard header names (no per-throttler suffix). */
  protected override async handleRequest(props: ThrottlerRequest): Promise<boolean> {
    const { context, limit, ttl, throttler, blockDuration, generateKey } = props;
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const reply = context.switchToHttp().getResponse<FastifyReply>();
    const tracker = await this.getTracker(request as unknown as Record<string, unknown>);
    const key = generateKey(context, tracker, throttler.name ?? 'default');
    const record = await this.storageService.increment(
      key,
      ttl,
      limit,
      blockDuration,
      throttler.name ?? 'default',
    );
    void reply.header('x-ratelimit-limit', String(limit));
    void reply.header('x-ratelimit-remaining', String(Math.max(0, limit - record.totalHits)));
    void reply.header(
      'x-ratelimit-reset',
      String(record.isBlocked ? record.timeToBlockExpire : record.timeToExpire),
    );
    if (record.isBlocked) {
      void reply.header('retry-after', String(Math.max(1, record.timeToBlockExpire)));
      this.log.debug(`429 for ${tracker} on tier ${throttler.name}`);
      throw new ThrottlerException(
        `Too many requests: ${limit} per ${Math.round(ttl / 1000)} s on the ${throttler.name} tier; retry in ${Math.max(1, record.timeToBlockExpire)} s`,
      );
    }
    return true;
  }
}
