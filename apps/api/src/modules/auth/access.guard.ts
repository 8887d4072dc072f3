import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ErrorCode, isUuid, WorkspaceRole } from '@orch/contracts';
import type { FastifyRequest } from 'fastify';
import { DomainException } from '../../core/domain.exception.js';
import { MembershipService } from '../workspaces/membership.service.js';
import { ACCESS_KEY, type AccessRule } from './access.decorators.js';
import { TokenService } from './token.service.js';

/**
 * Global guard: authentication, then workspace membership for scoped routes.
 * Fails closed: a handler without an access rule is refused (and the route
 * audit stops such an app from booting at all).
 */
@Injectable()
export class AccessGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly tokens: TokenService,
    private readonly membership: MembershipService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const rule = this.reflector.getAllAndOverride<AccessRule | undefined>(ACCESS_KEY, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (!rule)
      throw new Error(`No access rule on ${context.getClass().name}.${context.getHandler().name}`);
    if (rule.kind === 'public') return true;

    const request = context.switchToHttp().getRequest<FastifyRequest>();
    request.auth = await this.tokens.verifyBearer(request.headers.authorization);
    if (rule.kind === 'user') return true;

    const source = (rule.from === 'query' ? request.query : request.params) as Record<
      string,
      unknown
    >;
    const value = source[rule.param];
    const id = typeof value === 'string' ? value : undefined;
    const notFound = new DomainException(ErrorCode.NotFound, `${rule.resource} not found`);
    if (rule.from === 'query' && !isUuid(id)) {
      // A query parameter is input, not an address: name it like any bad field.
      throw DomainException.invalidField(rule.param, `${rule.param} must be a UUID`);
    }
    if (!isUuid(id)) throw notFound;
    const access = await this.membership.resolve(
      rule.resource,
      id.toLowerCase(),
      request.auth.userId,
    );
    if (!access) throw notFound;
    if (rule.ownerOnly && access.role !== WorkspaceRole.Owner) {
      throw new DomainException(ErrorCode.OwnerRequired, 'Only the workspace owner can do that');
    }
    request.access = access;
    return true;
  }
}
