import type {
  CacheCleanupResponse,
  CacheStatsResponse,
  ErrorResponse,
  OptimizationsResponse,
  PerformanceMetrics,
  PerformanceMetricsResponse,
  WorkspacesPerformanceMetrics,
} from '@orch/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { factory, type TestUser } from '../support/factories.js';
import { operatorToken } from '../support/operator.js';
import { RealtimeClient } from '../support/socket-client.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/**
 * Who may see and do what at /api/performance/*: operators everything, a member figures
 * about their own workspaces, anyone else the 404 of a route that does not exist.
 */
describe('/api/performance/* access', () => {
  let t: TestApp;
  let f: ReturnType<typeof factory>;
  let operator: string;
  let member: TestUser;
  let other: TestUser;
  let loner: TestUser;
  let mine: { id: string; name: string };
  let theirs: { id: string };

  beforeAll(async () => {
    t = await startTestApp();
    f = factory(t.api);
    operator = await operatorToken(t.api);
    [member, other, loner] = [await f.user(), await f.user(), await f.user()];
    mine = await f.workspace(member, 'Mine');
    theirs = await f.workspace(other, 'Theirs');
  });
  afterAll(() => t?.close());

  /** What a route that does not exist answers, with the path it was asked for. */
  const unknownRoute = async (method: 'GET' | 'POST', path: string, token: string) => {
    const res = await t.api.request<ErrorResponse>(method, `/api/performance/no-such-route`, {
      token,
    });
    expect(res.status).toBe(404);
    return { ...res.body, message: `Cannot ${method} ${path}` };
  };

  it('an operator reads every figure of the instance and may clean the caches', async () => {
    const metrics = await t.api.get<PerformanceMetrics>('/api/performance/metrics', {
      token: operator,
    });
    expect(metrics.status, metrics.text).toBe(200);
    expect(metrics.body.scope).toBe('instance');
    expect(metrics.body.database.slowestStatements.length).toBeGreaterThan(0);
    expect(metrics.body.realtime.limits.perWorkspace).toBeGreaterThan(0);

    const stats = await t.api.get<CacheStatsResponse>('/api/performance/cache-stats', {
      token: operator,
    });
    expect(stats.status, stats.text).toBe(200);
    expect(Object.keys(stats.body.caches)).toContain('workspace');

    const cleanup = await t.api.post<CacheCleanupResponse>(
      '/api/performance/cache/cleanup',
      undefined,
      { token: operator },
    );
    expect(cleanup.status, cleanup.text).toBe(200);
    expect(typeof cleanup.body.total).toBe('number');
  });

  it('a member sees figures about their own workspaces and nothing instance-wide', async () => {
    const socket = await new RealtimeClient(t.baseUrl, {
      token: member.token,
      workspaceId: mine.id,
    }).open();
    const read = () =>
      t.api.get<PerformanceMetricsResponse>('/api/performance/metrics', { token: member.token });
    try {
      // Admission finishes just after the handshake: wait until the slot is counted.
      await expect
        .poll(async () => JSON.stringify((await read()).body))
        .toContain('"connections":1');
      const res = await read();
      expect(res.status, res.text).toBe(200);
      const body = res.body as WorkspacesPerformanceMetrics;
      expect(Object.keys(body).sort()).toEqual(['scope', 'uptimeSeconds', 'workspaces']);
      expect(body.scope).toBe('workspaces');
      expect(body.workspaces).toEqual([
        {
          workspaceId: mine.id,
          name: 'Mine',
          figures: { realtime: { connections: 1, limit: expect.any(Number) as number } },
        },
      ]);
      expect(res.text).not.toContain(theirs.id);
      expect(res.text).not.toContain('SELECT');
    } finally {
      await socket.close();
    }
  });

  it('a member who is no operator gets 404 for the cache figures and the cleanup', async () => {
    const stats = await t.api.get('/api/performance/cache-stats', { token: member.token });
    expect(stats.status).toBe(404);
    expect(stats.body).toEqual(
      await unknownRoute('GET', '/api/performance/cache-stats', member.token),
    );
    const cleanup = await t.api.post('/api/performance/cache/cleanup', undefined, {
      token: member.token,
    });
    expect(cleanup.status).toBe(404);
    expect(cleanup.body).toEqual(
      await unknownRoute('POST', '/api/performance/cache/cleanup', member.token),
    );
  });

  it('an account in no workspace gets 404 for every figure and the cleanup', async () => {
    for (const [method, path] of [
      ['GET', '/api/performance/metrics'],
      ['GET', '/api/performance/cache-stats'],
      ['POST', '/api/performance/cache/cleanup'],
    ] as const) {
      const res = await t.api.request(method, path, { token: loner.token });
      expect(res.status, `${method} ${path}`).toBe(404);
      expect(res.body, `${method} ${path}`).toEqual(await unknownRoute(method, path, loner.token));
    }
  });

  it('the optimizations in force are the same for every signed-in caller; no token is 401', async () => {
    const asLoner = await t.api.get<OptimizationsResponse>('/api/performance/optimizations', {
      token: loner.token,
    });
    expect(asLoner.status).toBe(200);
    const asOperator = await t.api.get<OptimizationsResponse>('/api/performance/optimizations', {
      token: operator,
    });
    expect(asLoner.text).toBe(asOperator.text);
    for (const path of ['/api/performance/metrics', '/api/performance/cache-stats']) {
      expect((await t.api.get(path)).status, path).toBe(401);
    }
  });
});

describe('the seeded demo user is an operator', () => {
  const demoEmail = 'demo-operator@example.com';

  for (const seeded of [true, false]) {
    it(`DEMO_SEED=${seeded}: the demo account is ${seeded ? '' : 'not '}an operator`, async () => {
      const t = await startTestApp({
        env: { DEMO_SEED: String(seeded), DEMO_EMAIL: demoEmail, OPERATOR_EMAILS: '' },
      });
      try {
        // startTestApp does not seed: the account is registered as the seed would create it.
        const demo = await factory(t.api).user({ email: demoEmail });
        const res = await t.api.get('/api/performance/cache-stats', { token: demo.token });
        expect(res.status).toBe(seeded ? 200 : 404);
      } finally {
        await t.close();
      }
    });
  }
});
