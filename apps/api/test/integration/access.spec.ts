import type { ErrorResponse } from '@orch/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ScopedResource } from '../../src/modules/auth/access.decorators.js';
import { type AuditedRoute, RouteAudit } from '../../src/modules/auth/route-audit.js';
import { factory, type TestUser } from '../support/factories.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/**
 * Table-driven over every route the app actually registers (from the same
 * RouteAudit that refuses to boot an app with an undeclared route), so a new
 * route is covered the day it is added.
 */
describe('access control on every route', () => {
  let t: TestApp;
  let routes: AuditedRoute[];
  let owner: TestUser;
  let member: TestUser;
  let stranger: TestUser;
  const ids = {} as Record<ScopedResource, string>;

  beforeAll(async () => {
    t = await startTestApp();
    routes = t.app.get(RouteAudit).routes();
    const f = factory(t.api);
    [owner, member, stranger] = [await f.user(), await f.user(), await f.user()];
    const workspace = await f.workspace(owner);
    const agent = await f.agent(owner, workspace.id);
    ids.workspace = workspace.id;
    ids.agent = agent.id;
    ids.deliverable = (await f.deliverable(owner, workspace.id, { agentId: agent.id })).id;
    ids.thinkingProcess = (await f.process(owner, workspace.id, agent.id)).id;
    ids.goal = (await f.goal(owner, workspace.id)).id;
    const added = await t.api.post(
      `/api/workspaces/${workspace.id}/members`,
      { email: member.email },
      { token: owner.token },
    );
    expect(added.status).toBe(201);
    // The stranger has a workspace of their own: membership somewhere else must not help.
    await f.workspace(stranger);
  });
  afterAll(() => t.close());

  /** The route's URL with `id` where its rule takes the record's id (path or query). */
  const urlFor = (route: AuditedRoute, id: string) => {
    const rule = route.rule;
    if (rule?.kind !== 'workspace') return route.path;
    return rule.from === 'query'
      ? `${route.path}?${rule.param}=${id}`
      : route.path.replace(`:${rule.param}`, id);
  };
  const pathFor = (route: AuditedRoute) =>
    route.rule?.kind === 'workspace' ? urlFor(route, ids[route.rule.resource]) : route.path;

  it('covers every scoped resource kind and declares a rule on every route', () => {
    expect(routes.length).toBeGreaterThan(20);
    expect(routes.filter((r) => !r.rule)).toEqual([]);
    const kinds = new Set(
      routes.flatMap((r) => (r.rule?.kind === 'workspace' ? [r.rule.resource] : [])),
    );
    expect([...kinds].sort()).toEqual([
      'agent',
      'deliverable',
      'goal',
      'thinkingProcess',
      'workspace',
    ]);
    const publicRoutes = routes
      .filter((r) => r.rule?.kind === 'public')
      .map((r) => `${r.method} ${r.path}`);
    expect(publicRoutes.sort()).toEqual([
      'GET /api/health',
      'POST /api/auth/login',
      'POST /api/auth/register',
    ]);
  });

  it('answers 401 without a token on every non-public route', async () => {
    for (const route of routes.filter((r) => r.rule?.kind !== 'public')) {
      const res = await t.api.request<ErrorResponse>(route.method, pathFor(route), { body: {} });
      expect(res.status, `${route.method} ${route.path}`).toBe(401);
      expect(res.body.code).toBe('UNAUTHENTICATED');
    }
  });

  it('answers 404, as for an unknown id, on every workspace-scoped route to a non-member', async () => {
    for (const route of routes.filter((r) => r.rule?.kind === 'workspace')) {
      const res = await t.api.request<ErrorResponse>(route.method, pathFor(route), {
        token: stranger.token,
        body: {},
      });
      expect(res.status, `${route.method} ${route.path}`).toBe(404);
      expect(res.body).toMatchObject({ statusCode: 404, error: 'Not Found' });
      const unknown = await t.api.request<ErrorResponse>(
        route.method,
        urlFor(route, '00000000-0000-4000-8000-000000000000'),
        { token: owner.token, body: {} },
      );
      expect(unknown.status, `${route.method} ${route.path} (unknown id)`).toBe(404);
      expect(unknown.body.message).toBe(res.body.message);
    }
  });

  it('lets a member read, and keeps owner-only routes for the owner (403)', async () => {
    for (const route of routes.filter((r) => r.rule?.kind === 'workspace')) {
      const rule = route.rule;
      if (rule?.kind !== 'workspace') continue;
      if (rule.ownerOnly) {
        const res = await t.api.request<ErrorResponse>(route.method, pathFor(route), {
          token: member.token,
          body: {},
        });
        expect(res.status, `${route.method} ${route.path}`).toBe(403);
        expect(res.body.code).toBe('OWNER_REQUIRED');
      } else if (route.method === 'GET') {
        const res = await t.api.get(pathFor(route), { token: member.token });
        expect(res.status, `${route.method} ${route.path}: ${res.text}`).toBe(200);
      }
    }
  });

  it('answers 404 for an id that is not a UUID, without touching the database', async () => {
    const res = await t.api.get<ErrorResponse>('/api/agents/not-a-uuid', { token: owner.token });
    expect(res.status).toBe(404);
    expect(res.body.statusCode).toBe(404);
    // The request context counts every query a request runs (X-DB-Queries): none here.
    expect(res.headers.get('x-db-queries'), res.text).toBe('0');
    const unknownRoute = await t.api.get<ErrorResponse>('/api/nope', { token: owner.token });
    expect(unknownRoute.status).toBe(404);
    expect(unknownRoute.body.statusCode).toBe(404);
    expect(unknownRoute.headers.get('x-db-queries'), unknownRoute.text).toBe('0');
    // A valid UUID of no agent does reach the database: the header counts what it claims to.
    const missing = await t.api.get<ErrorResponse>(
      '/api/agents/00000000-0000-4000-8000-000000000000',
      { token: owner.token },
    );
    expect(missing.status).toBe(404);
    expect(Number(missing.headers.get('x-db-queries'))).toBeGreaterThan(0);
  });
});
