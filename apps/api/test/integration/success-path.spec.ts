import { createHook } from 'node:async_hooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DomainException } from '../../src/core/domain.exception.js';
import { currentRequest } from '../../src/infra/http/request-context.js';
import { type AuditedRoute, RouteAudit } from '../../src/modules/auth/route-audit.js';
import type { ApiResponse } from '../support/api-client.js';
import { factory, type TestUser, untilDisplayed } from '../support/factories.js';
import { operatorToken } from '../support/operator.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/**
 * The success path of every route constructs no exception (a stack trace each, the
 * regression docs/hot-path.md found in the access guard), and every read's success path
 * creates no timer of the app's own (the per-request deadline timers the display content
 * had on the read path). Every route the app registers must be in the table below: a new
 * route fails this spec until its success case is added.
 */

interface Ids {
  workspace: string;
  agent: string;
  deliverable: string;
  process: string;
  goal: string;
}

interface Case {
  /** The URL, the ids of this run filled in. */
  url: (ids: Ids) => string;
  body?: (ids: Ids, n: number) => unknown;
  status: number;
  /** Anonymous (auth routes, health). */
  anonymous?: boolean;
  /** The instance-wide figures and actions: an operator's. */
  operator?: boolean;
}

let n = 0;
const CASES: Record<string, Case> = {
  'POST /api/auth/register': {
    url: () => '/api/auth/register',
    body: (_, i) => ({
      email: `success-${i}-${++n}@example.com`,
      password: 'long-enough-1',
      name: `Success ${i}`,
    }),
    status: 201,
    anonymous: true,
  },
  'POST /api/auth/login': {
    url: () => '/api/auth/login',
    body: () => ({ email: LOGIN.email, password: LOGIN.password }),
    status: 200,
    anonymous: true,
  },
  'GET /api/auth/me': { url: () => '/api/auth/me', status: 200 },
  'GET /api/health': { url: () => '/api/health', status: 200, anonymous: true },
  'GET /api/workspaces': { url: () => '/api/workspaces', status: 200 },
  'POST /api/workspaces': {
    url: () => '/api/workspaces',
    body: (_, i) => ({ name: `Success ${i}` }),
    status: 201,
  },
  'GET /api/workspaces/:id': { url: (x) => `/api/workspaces/${x.workspace}`, status: 200 },
  'PATCH /api/workspaces/:id': {
    url: (x) => `/api/workspaces/${x.workspace}`,
    body: (_, i) => ({ name: `Renamed ${i}` }),
    status: 200,
  },
  'DELETE /api/workspaces/:id': {
    url: () => `/api/workspaces/${SPARE.pop() ?? 'none-left'}`,
    status: 204,
  },
  'POST /api/workspaces/:id/members': {
    url: (x) => `/api/workspaces/${x.workspace}/members`,
    body: () => ({ email: MEMBERS.pop()?.email ?? 'none-left@example.com' }),
    status: 201,
  },
  'GET /api/workspaces/:id/dashboard': {
    url: (x) => `/api/workspaces/${x.workspace}/dashboard`,
    status: 200,
  },
  'GET /api/workspaces/:id/agents': {
    url: (x) => `/api/workspaces/${x.workspace}/agents?limit=20`,
    status: 200,
  },
  'POST /api/workspaces/:id/agents': {
    url: (x) => `/api/workspaces/${x.workspace}/agents`,
    body: (_, i) => ({ name: `Agent ${i}`, role: 'researcher', settings: { tone: 'calm' } }),
    status: 201,
  },
  'GET /api/agents/:id': { url: (x) => `/api/agents/${x.agent}`, status: 200 },
  'PATCH /api/agents/:id': {
    url: (x) => `/api/agents/${x.agent}`,
    body: (_, i) => ({ status: i % 2 === 0 ? 'active' : 'idle' }),
    status: 200,
  },
  'GET /api/workspaces/:id/deliverables': {
    url: (x) => `/api/workspaces/${x.workspace}/deliverables?limit=20`,
    status: 200,
  },
  'POST /api/workspaces/:id/deliverables': {
    url: (x) => `/api/workspaces/${x.workspace}/deliverables`,
    body: (_, i) => ({ title: `Report ${i}`, content: `# Report ${i}\n\nFine.` }),
    status: 201,
  },
  'GET /api/deliverables/:id': { url: (x) => `/api/deliverables/${x.deliverable}`, status: 200 },
  'PATCH /api/deliverables/:id': {
    url: (x) => `/api/deliverables/${x.deliverable}`,
    body: (_, i) => ({ title: `Retitled ${i}` }),
    status: 200,
  },
  'POST /api/deliverables/:id/regenerate': {
    url: (x) => `/api/deliverables/${x.deliverable}/regenerate`,
    status: 202,
  },
  'GET /api/workspaces/:id/thinking': {
    url: (x) => `/api/workspaces/${x.workspace}/thinking?processes=5&stepsPerProcess=5`,
    status: 200,
  },
  'POST /api/workspaces/:id/thinking': {
    url: (x) => `/api/workspaces/${x.workspace}/thinking`,
    body: (x, i) => ({ agentId: x.agent, title: `Process ${i}` }),
    status: 201,
  },
  'GET /api/thinking/:processId': { url: (x) => `/api/thinking/${x.process}`, status: 200 },
  'PATCH /api/thinking/:processId': {
    url: (x) => `/api/thinking/${x.process}`,
    body: () => ({ status: 'running' }),
    status: 200,
  },
  'GET /api/thinking/:processId/steps': {
    url: (x) => `/api/thinking/${x.process}/steps?limit=20`,
    status: 200,
  },
  'POST /api/thinking/:processId/steps': {
    url: (x) => `/api/thinking/${x.process}/steps`,
    body: (_, i) => ({ kind: 'observation', content: `step ${i}` }),
    status: 201,
  },
  'POST /api/thinking/:processId/steps/bulk': {
    url: (x) => `/api/thinking/${x.process}/steps/bulk`,
    body: (_, i) => ({ steps: [{ kind: 'reasoning', content: `bulk ${i}` }] }),
    status: 201,
  },
  'GET /api/workspaces/:id/goals': {
    url: (x) => `/api/workspaces/${x.workspace}/goals`,
    status: 200,
  },
  'POST /api/workspaces/:id/goals': {
    url: (x) => `/api/workspaces/${x.workspace}/goals`,
    body: (_, i) => ({ title: `Goal ${i}`, targetDeliverables: 3, windowHours: 24 }),
    status: 201,
  },
  'GET /api/goals/:id': { url: (x) => `/api/goals/${x.goal}`, status: 200 },
  'PATCH /api/goals/:id': {
    url: (x) => `/api/goals/${x.goal}`,
    body: (_, i) => ({ title: `Goal renamed ${i}` }),
    status: 200,
  },
  'GET /api/quota/status': {
    url: (x) => `/api/quota/status?workspaceId=${x.workspace}`,
    status: 200,
  },
  'GET /api/quota/check': {
    url: (x) => `/api/quota/check?workspaceId=${x.workspace}`,
    status: 200,
  },
  'GET /api/quota/usage': {
    url: (x) => `/api/quota/usage?workspaceId=${x.workspace}`,
    status: 200,
  },
  'GET /api/quota/notifications': {
    url: (x) => `/api/quota/notifications?workspaceId=${x.workspace}`,
    status: 200,
  },
  'GET /api/performance/optimizations': {
    url: () => '/api/performance/optimizations',
    status: 200,
  },
  'GET /api/performance/cache-stats': {
    url: () => '/api/performance/cache-stats',
    status: 200,
    operator: true,
  },
  'POST /api/performance/cache/cleanup': {
    url: () => '/api/performance/cache/cleanup',
    status: 200,
    operator: true,
  },
  'GET /api/performance/metrics': {
    url: () => '/api/performance/metrics',
    status: 200,
    operator: true,
  },
};

let LOGIN: TestUser;
/** Workspaces to delete, and users to add as members: each success consumes one. */
const SPARE: string[] = [];
const MEMBERS: TestUser[] = [];
const ROUNDS = 3;

/**
 * Timers created for a request (inside its request context) while `work` runs whose stack
 * passes through the app's own code; background loops (the display queue's worker) are not
 * the request's.
 */
async function appTimersDuring<T>(work: () => Promise<T>): Promise<{ value: T; timers: string[] }> {
  const timers: string[] = [];
  const hook = createHook({
    init(_id, type) {
      if (type !== 'Timeout' || currentRequest() === undefined) return;
      const stack = new Error().stack ?? '';
      const own = stack
        .split('\n')
        .filter((line) => /apps\/api\/src\//.test(line) && !/node_modules/.test(line));
      if (own.length > 0) timers.push(own.slice(0, 3).join(' <- ').trim());
    },
  });
  hook.enable();
  try {
    return { value: await work(), timers };
  } finally {
    hook.disable();
  }
}

/**
 * Promises created inside the request context while `work` runs: on Node 20 each one pays the
 * context's async hooks (docs/hot-path.md), so a cached read keeps to a budget.
 */
async function requestPromisesDuring<T>(
  work: () => Promise<T>,
): Promise<{ value: T; promises: number }> {
  let promises = 0;
  const hook = createHook({
    init(_id, type) {
      if (type === 'PROMISE' && currentRequest() !== undefined) promises += 1;
    },
  });
  hook.enable();
  try {
    return { value: await work(), promises };
  } finally {
    hook.disable();
  }
}

/**
 * Promises per cache hit, measured (async_hooks) after validation was bound to Body and Query
 * and hits were answered without promises: 18 for the workspace read and the dashboard, of
 * which Nest's router creates ~15, and 30 for the agent lists, whose validated query goes
 * through Nest's pipe chain (a remembered query, validated once). A global pipe on the
 * guard-resolved parameter adds ~7, an async guard ~4.
 */
const CACHED_READ_PROMISES = { plain: 20, withQuery: 32 };

describe('the success path of every route', () => {
  let t: TestApp;
  let owner: TestUser;
  let routes: AuditedRoute[];
  const ids = {} as Ids;

  beforeAll(async () => {
    t = await startTestApp({ env: { AI_LOCAL_COST_MS: '0' } });
    routes = t.app.get(RouteAudit).routes();
    const f = factory(t.api);
    owner = await f.user();
    LOGIN = owner;
    const ws = await f.workspace(owner);
    ids.workspace = ws.id;
    ids.agent = (await f.agent(owner, ws.id)).id;
    ids.deliverable = (await f.deliverable(owner, ws.id, { agentId: ids.agent })).id;
    ids.process = (await f.process(owner, ws.id, ids.agent)).id;
    ids.goal = (await f.goal(owner, ws.id)).id;
    for (let i = 0; i < ROUNDS; i++) {
      SPARE.push((await f.workspace(owner)).id);
      MEMBERS.push(await f.user());
    }
    await untilDisplayed(t.api, owner, ids.deliverable);
  });
  afterAll(() => t?.close());

  const send = async (route: AuditedRoute, c: Case, i: number): Promise<ApiResponse<unknown>> => {
    const options = c.anonymous
      ? {}
      : { token: c.operator ? await operatorToken(t.api) : owner.token };
    const url = c.url(ids);
    const body = c.body?.(ids, i);
    switch (route.method) {
      case 'GET':
        return t.api.get(url, options);
      case 'POST':
        return t.api.post(url, body, options);
      case 'PATCH':
        return t.api.patch(url, body, options);
      case 'DELETE':
        return t.api.delete(url, options);
      default:
        throw new Error(`no client for ${route.method}`);
    }
  };

  it('has a success case for every registered route, and nothing else', () => {
    const registered = routes.map((r) => `${r.method} ${r.path}`).sort();
    expect(registered.length).toBeGreaterThan(30);
    expect(Object.keys(CASES).sort()).toEqual(registered);
  });

  it('constructs no exception on any route’s success path', async () => {
    const constructed: Record<string, number> = {};
    for (let i = 0; i < ROUNDS; i++) {
      for (const route of routes) {
        const key = `${route.method} ${route.path}`;
        const c = CASES[key];
        const before = DomainException.constructed;
        const res = await send(route, c, i);
        expect(res.status, `${key}: ${res.text.slice(0, 300)}`).toBe(c.status);
        const made = DomainException.constructed - before;
        if (made > 0) constructed[key] = (constructed[key] ?? 0) + made;
      }
    }
    expect(constructed).toEqual({});
    // The counter counts: a refused request constructs one.
    const before = DomainException.constructed;
    expect((await t.api.get(`/api/agents/${ids.workspace}`, { token: owner.token })).status).toBe(
      404,
    );
    expect(DomainException.constructed - before).toBeGreaterThanOrEqual(1);
  });

  it('creates no timer of its own on any read’s success path', async () => {
    const reads = routes.filter((r) => r.method === 'GET');
    expect(reads.length).toBeGreaterThan(15);
    const found: Record<string, string[]> = {};
    for (let i = 0; i < ROUNDS; i++) {
      for (const route of reads) {
        const key = `${route.method} ${route.path}`;
        const { value: res, timers } = await appTimersDuring(() => send(route, CASES[key], i));
        expect(res.status, `${key}: ${res.text.slice(0, 300)}`).toBe(CASES[key].status);
        if (timers.length > 0) found[key] = timers;
      }
    }
    expect(found).toEqual({});
  });

  it('answers a cached read within its promise budget', async () => {
    const cached = [
      `/api/workspaces/${ids.workspace}`,
      `/api/workspaces/${ids.workspace}/dashboard`,
      `/api/workspaces/${ids.workspace}/agents?limit=20`,
      `/api/workspaces/${ids.workspace}/agents?limit=20&view=lite`,
    ];
    const counted: Record<string, number> = {};
    for (const url of cached) {
      await t.api.get(url, { token: owner.token }); // loads the entry (and the membership)
      const { value: res, promises } = await requestPromisesDuring(() =>
        t.api.get(url, { token: owner.token }),
      );
      expect(res.status, url).toBe(200);
      expect(res.headers.get('x-db-queries'), url).toBe('0');
      counted[url] = promises;
    }
    for (const [url, promises] of Object.entries(counted)) {
      const budget = url.includes('?')
        ? CACHED_READ_PROMISES.withQuery
        : CACHED_READ_PROMISES.plain;
      expect(promises, `${url}: ${JSON.stringify(counted)}`).toBeLessThanOrEqual(budget);
    }
    // The probe counts: a read that loads from the database makes many more.
    const { promises: uncached } = await requestPromisesDuring(() =>
      t.api.get(`/api/workspaces/${ids.workspace}/thinking`, { token: owner.token }),
    );
    expect(uncached).toBeGreaterThan(2 * CACHED_READ_PROMISES.withQuery);
  });

  it('the timer probe sees the app’s timers (a read that waits for a transformation)', async () => {
    // The on-read mode's deadline timer, on a pending deliverable: what the probe must catch.
    const onRead = await startTestApp({
      env: { OPTIMIZATIONS: '-display-queue', AI_LOCAL_COST_MS: '20' },
    });
    try {
      const f = factory(onRead.api);
      const user = await f.user();
      const ws = await f.workspace(user);
      await f.deliverable(user, ws.id);
      const { value: res, timers } = await appTimersDuring(() =>
        onRead.api.get(`/api/workspaces/${ws.id}/deliverables`, { token: user.token }),
      );
      expect(res.status).toBe(200);
      expect(timers.length).toBeGreaterThanOrEqual(1);
    } finally {
      await onRead.close();
    }
  });
});
