import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ErrorCode, isUuid, WorkspaceRole } from '@orch/contracts';
import type { FastifyRequest } from 'fastify';
import { DomainException } from '../../core/domain.exception.js';
import { MembershipService } from '../workspaces/membership.service.js';
import { ACCESS_KEY, type AccessRule, type WorkspaceAccess } from './access.decorators.js';
import { Operators } from './operators.js';
import { TokenService } from './token.service.js';
import { andThen } from '../../core/awaitable.js';

/**
 * Global guard: authentication, then workspace membership for scoped routes.
 * Fails closed: a handler without an access rule is refused (and the route
 * audit stops such an app from booting at all).
 */
@Injectable()
export class AccessGuard implements CanActivate {
  /** Each handler's rule, read once (null: none declared, which the route audit refuses at boot). */
  private readonly rules = new WeakMap<object, AccessRule | null>();

  constructor(
    private readonly reflector: Reflector,
    private readonly tokens: TokenService,
    private readonly membership: MembershipService,
    private readonly operators: Operators,
  ) {}

  /** Synchronous until it has to ask for membership (a cache hit answers at once). */
  canActivate(context: ExecutionContext): boolean | Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const rule = this.ruleOf(context);
    if (!rule)
      throw new Error(`No access rule on ${context.getClass().name}.${context.getHandler().name}`);
    if (rule.kind === 'public') return true;

    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const auth = this.tokens.authenticate(request.headers.authorization);
    request.auth = auth;
    if (rule.kind === 'user') return true;
    if (rule.kind === 'operator') return this.admitOperator(request, auth.userId);

    const source = (rule.from === 'query' ? request.query : request.params) as Record<
      string,
      unknown
    >;
    const value = source[rule.param];
    const id = typeof value === 'string' ? value : undefined;
    if (rule.from === 'query' && !isUuid(id)) {
      // A query parameter is input, not an address: name it like any bad field.
      throw DomainException.invalidField(rule.param, `${rule.param} must be a UUID`);
    }
    // Built only when thrown: an exception captures a stack trace, ~5% of a cached read's CPU.
    if (!isUuid(id)) throw notFoundError(rule.resource);
    // A cached membership is answered now: no promise for Nest to await (docs/hot-path.md).
    return andThen(
      this.membership.resolve(rule.resource, id.toLowerCase(), auth.userId),
      (access) => this.admitMember(request, rule, access),
    );
  }

  private admitMember(
    request: FastifyRequest,
    rule: Extract<AccessRule, { kind: 'workspace' }>,
    access: WorkspaceAccess | null,
  ): boolean {
    if (!access) throw notFoundError(rule.resource);
    if (rule.ownerOnly && access.role !== WorkspaceRole.Owner) {
      throw new DomainException(ErrorCode.OwnerRequired, 'Only the workspace owner can do that');
    }
    request.access = access;
    return true;
  }

  private async admitOperator(request: FastifyRequest, userId: string): Promise<boolean> {
    if (await this.operators.isOperator(userId)) return true;
    throw unknownRouteError(request);
  }

  private ruleOf(context: ExecutionContext): AccessRule | null {
    const handler = context.getHandler();
    let rule = this.rules.get(handler);
    if (rule === undefined) {
      rule =
        this.reflector.getAllAndOverride<AccessRule | undefined>(ACCESS_KEY, [
          handler,
          context.getClass(),
        ]) ?? null;
      this.rules.set(handler, rule);
    }
    return rule;
  }
}

/** The same 404 as for a route that does not exist. */
export function unknownRouteError(request: FastifyRequest): DomainException {
  return new DomainException(
    ErrorCode.NotFound,
    `Cannot ${request.method} ${request.url.split('?')[0]}`,
  );
}

/** The same 404 as for an id that does not exist, so ids don't leak. */
function notFoundError(resource: string): DomainException {
  return new DomainException(ErrorCode.NotFound, `${resource} not found`);
}
