import type { PerformanceMetrics, RouteMetrics } from '@orch/contracts';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiResponse } from '../support/api-client.js';
import { factory } from '../support/factories.js';
import { operatorToken } from '../support/operator.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/**
 * GET /api/performance/metrics counts requests per route template, exactly, on a fresh app
 * whose every request the test made.
 */
describe('per-route latency at /api/performance/metrics', () => {
  let t: TestApp;
  let metrics: PerformanceMetrics;
  /** Client-side durations and X-DB-Queries per template, as sent. */
  const sent = new Map<string, { ms: number[]; queries: number[] }>();

  const timed = async <T>(key: string, call: () => Promise<ApiResponse<T>>) => {
    const started = performance.now();
    const res = await call();
    const ms = performance.now() - started;
    const entry = sent.get(key) ?? { ms: [], queries: [] };
    entry.ms.push(ms);
    entry.queries.push(Number(res.headers.get('x-db-queries') ?? NaN));
    sent.set(key, entry);
    return res;
  };

  beforeAll(async () => {
    t = await startTestApp();
    const operator = await operatorToken(t.api); // POST /api/auth/register
    const owner = await factory(t.api).user(); // POST /api/auth/register
    const ws = await factory(t.api).workspace(owner); // POST /api/workspaces
    for (let i = 0; i < 3; i++) {
      const res = await timed('GET /api/workspaces/:id', () =>
        t.api.get(`/api/workspaces/${ws.id}`, { token: owner.token }),
      );
      expect(res.status).toBe(200);
    }
    for (let i = 0; i < 2; i++) {
      const res = await timed('GET /api/workspaces/:id', () =>
        t.api.get(`/api/workspaces/${randomUUID()}`, { token: owner.token }),
      );
      expect(res.status).toBe(404);
    }
    for (let i = 0; i < 4; i++) {
      await timed('GET /api/auth/me', () => t.api.get('/api/auth/me', { token: owner.token }));
    }
    const unknown = await t.api.get('/api/no-such-thing');
    expect(unknown.status).toBe(404);
    const res = await t.api.get<PerformanceMetrics>('/api/performance/metrics', {
      token: operator,
    });
    expect(res.status, res.text).toBe(200);
    metrics = res.body;
  });
  afterAll(() => t?.close());

  const route = (method: string, template: string): RouteMetrics => {
    const found = metrics.http.routes.find((r) => r.method === method && r.route === template);
    expect(found, `${method} ${template} in ${JSON.stringify(metrics.http.routes)}`).toBeDefined();
    return found!;
  };

  it('counts every request under its route template, never its raw URL', () => {
    const counts = Object.fromEntries(
      metrics.http.routes.map((r) => [`${r.method} ${r.route}`, r.count]),
    );
    expect(counts).toEqual({
      'POST /api/auth/register': 2,
      'POST /api/workspaces': 1,
      'GET /api/workspaces/:id': 5,
      'GET /api/auth/me': 4,
      'GET (unmatched)': 1,
      // The test client's conformance check reads the served OpenAPI document once.
      'GET /api/docs/openapi.json': 1,
    });
    expect(metrics.http.requests).toBe(14);
    expect(route('GET', '/api/workspaces/:id')).toMatchObject({ errors: 0, clientErrors: 2 });
    expect(route('GET', '(unmatched)')).toMatchObject({ errors: 0, clientErrors: 1 });
    expect(metrics.http.errors).toBe(0);
  });

  it('orders the percentiles and keeps them within what the client saw', () => {
    for (const [key, seen] of sent) {
      const [method, template] = key.split(' ') as [string, string];
      const r = route(method, template);
      expect(r.p50Ms, key).toBeGreaterThan(0);
      expect(r.p50Ms, key).toBeLessThanOrEqual(r.p95Ms);
      expect(r.p95Ms, key).toBeLessThanOrEqual(r.p99Ms);
      expect(r.p99Ms, key).toBeLessThanOrEqual(r.maxMs);
      // The server's time is inside the client's round trip.
      expect(r.maxMs, key).toBeLessThanOrEqual(Math.max(...seen.ms));
      const meanQueries = seen.queries.reduce((a, b) => a + b, 0) / seen.queries.length;
      expect(r.meanDbQueries, key).toBeCloseTo(meanQueries, 3);
    }
  });

  it('lists at most 10 slowest routes by p95, slowest first', () => {
    const p95s = metrics.http.slowestRoutes.map((r) => r.p95Ms);
    expect(p95s.length).toBe(6);
    expect(p95s).toEqual([...p95s].sort((a, b) => b - a));
    expect(metrics.database.slowestStatements.length).toBeGreaterThan(0);
    expect(metrics.database.slowestStatements.length).toBeLessThanOrEqual(10);
  });

  it('reports the process: memory and event-loop lag', () => {
    expect(metrics.process.rssBytes).toBeGreaterThan(metrics.process.heapUsedBytes);
    expect(metrics.process.eventLoopLagMs.p50).toBeLessThanOrEqual(
      metrics.process.eventLoopLagMs.max,
    );
  });

  it('counts the metrics read itself on the next read', async () => {
    const again = await t.api.get<PerformanceMetrics>('/api/performance/metrics', {
      token: await operatorToken(t.api),
    });
    const read = again.body.http.routes.find((r) => r.route === '/api/performance/metrics');
    expect(read?.count).toBe(1);
  });
});
