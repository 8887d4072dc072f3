import {
  applyDecorators,
  createParamDecorator,
  type ExecutionContext,
  SetMetadata,
} from '@nestjs/common';
import type { WorkspaceRole } from '@orch/contracts';
import type { FastifyRequest } from 'fastify';
import { ApiErrors } from '../../infra/http/openapi/responses.js';

/**
 * Every route declares who may call it; the route audit refuses to boot an app
 * with a handler that declares nothing, so a new route can't forget access control.
 */
export const ACCESS_KEY = 'orch:access';

/** The kinds of record a workspace-scoped route can name in its path. */
export type ScopedResource = 'workspace' | 'agent' | 'deliverable' | 'thinkingProcess' | 'goal';

export type AccessRule =
  | { kind: 'public' }
  | { kind: 'user' }
  | { kind: 'operator' }
  | {
      kind: 'workspace';
      resource: ScopedResource;
      param: string;
      /** Where the id is: the path (default) or the query string. */
      from: 'params' | 'query';
      ownerOnly: boolean;
    };

/** No token needed (register, login, health). */
export const Public = () => SetMetadata(ACCESS_KEY, { kind: 'public' } satisfies AccessRule);

/** A valid token, no workspace involved (me, my workspaces, create a workspace). */
export const Authenticated = () =>
  applyDecorators(SetMetadata(ACCESS_KEY, { kind: 'user' } satisfies AccessRule), ApiErrors(401));

/**
 * A valid token of an operator (OPERATOR_EMAILS, the seeded demo user); anyone else gets
 * the 404 an unknown route gets, so the route's existence is not told either.
 */
export const Operator = () =>
  applyDecorators(
    SetMetadata(ACCESS_KEY, { kind: 'operator' } satisfies AccessRule),
    ApiErrors(401, [404, 'Not an operator: the answer an unknown route gets']),
  );

/**
 * A valid token and membership of the workspace that owns the record named by
 * `:param`; a non-member gets 404, exactly as for an id that does not exist.
 * The OpenAPI document lists the 401, 404 (and 403 for owners only) this rule answers.
 */
export const WorkspaceScoped = (
  resource: ScopedResource,
  options: { param?: string; from?: 'params' | 'query'; ownerOnly?: boolean } = {},
) =>
  applyDecorators(
    SetMetadata(ACCESS_KEY, {
      kind: 'workspace',
      resource,
      param: options.param ?? 'id',
      from: options.from ?? 'params',
      ownerOnly: options.ownerOnly ?? false,
    } satisfies AccessRule),
    ApiErrors(
      401,
      404,
      ...(options.ownerOnly ? [403] : []),
      ...(options.from === 'query'
        ? [[400, `${options.param ?? 'id'} is not a UUID`] as [number, string]]
        : []),
    ),
  );

export interface AuthContext {
  userId: string;
}

export interface WorkspaceAccess {
  workspaceId: string;
  role: WorkspaceRole;
}

declare module 'fastify' {
  interface FastifyRequest {
    auth?: AuthContext;
    access?: WorkspaceAccess;
  }
}

/** The authenticated user's id. */
export const CurrentUser = createParamDecorator(
  (_: unknown, ctx: ExecutionContext): AuthContext => {
    const auth = ctx.switchToHttp().getRequest<FastifyRequest>().auth;
    if (!auth) throw new Error('CurrentUser used on a route without authentication');
    return auth;
  },
);

/** The workspace the route's record belongs to, checked by the access guard. */
export const CurrentAccess = createParamDecorator(
  (_: unknown, ctx: ExecutionContext): WorkspaceAccess => {
    const access = ctx.switchToHttp().getRequest<FastifyRequest>().access;
    if (!access) throw new Error('CurrentAccess used on a route that is not workspace-scoped');
    return access;
  },
);
