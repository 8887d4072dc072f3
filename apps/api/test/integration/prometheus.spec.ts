import type { PerformanceMetrics } from '@orch/contracts';
import type { PrometheusFamily } from 'parse-prometheus-text-format';
import { operatorToken } from '../support/operator.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { factory, type TestUser } from '../support/factories.js';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  metricNamesIn,
  promtoolFindings,
  sample,
  scrape,
  TEST_METRICS_TOKEN,
} from '../support/prometheus.js';
import { repoRoot } from '../support/spawn-api.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/** Every family GET /metrics must hold (issue #14), with its Prometheus type. */
const FAMILIES: Record<string, PrometheusFamily['type']> = {
  http_request_duration_seconds: 'HISTOGRAM',
  http_request_db_queries: 'HISTOGRAM',
  db_pool_connections: 'GAUGE',
  db_pool_max: 'GAUGE',
  db_queries_total: 'COUNTER',
  db_slow_queries_total: 'COUNTER',
  cache_lookups_total: 'COUNTER',
  ai_calls_total: 'COUNTER',
  ai_calls_saved_total: 'COUNTER',
  ai_quota_blocked_total: 'COUNTER',
  websocket_connections: 'GAUGE',
  websocket_connections_limit: 'GAUGE',
  websocket_rejections_total: 'COUNTER',
  http_rate_limited_total: 'COUNTER',
  goal_monitor_checks_total: 'COUNTER',
  process_cpu_user_seconds_total: 'COUNTER',
  process_resident_memory_bytes: 'GAUGE',
  nodejs_eventloop_lag_seconds: 'GAUGE',
  nodejs_heap_size_used_bytes: 'GAUGE',
};

const value = (family: PrometheusFamily | undefined, labels: Record<string, string>) =>
  Number(
    family?.metrics.find((m) => Object.entries(labels).every(([k, v]) => m.labels?.[k] === v))
      ?.value ?? NaN,
  );

describe('GET /metrics', () => {
  let t: TestApp;
  let owner: TestUser;
  let wsId: string;

  beforeAll(async () => {
    t = await startTestApp({
      env: {
        METRICS_TOKEN: TEST_METRICS_TOKEN,
        RATE_LIMIT_MULTIPLIER: '1',
        RATE_LIMIT_ANONYMOUS_PER_MIN: '2',
      },
    });
    await operatorToken(t.api); // anonymous 1 of 2 (the registration)
    owner = await factory(t.api).user(); // anonymous 2 of 2
    wsId = (await factory(t.api).workspace(owner)).id;
    for (let i = 0; i < 3; i++) {
      expect((await t.api.get(`/api/workspaces/${wsId}`, { token: owner.token })).status).toBe(200);
    }
    expect((await t.api.get('/api/auth/me')).status).toBe(429); // over: one 429
  });
  afterAll(() => t?.close());

  it('answers 401 without the metrics token, and with a user token', async () => {
    for (const authorization of [undefined, `Bearer ${owner.token}`, 'Bearer wrong-token']) {
      const res = await t.api.get('/metrics', {
        headers: authorization ? { authorization } : {},
      });
      expect(res.status, authorization).toBe(401);
      expect(res.body).toMatchObject({ statusCode: 401, error: 'Unauthorized' });
    }
  });

  it('parses as Prometheus text and holds every family, with its type', async () => {
    const { families } = await scrape(t.api);
    for (const [name, type] of Object.entries(FAMILIES)) {
      expect(families.get(name)?.type, name).toBe(type);
    }
  });

  it('passes promtool check metrics: Prometheus parses it and its linter finds nothing', async () => {
    const { text } = await scrape(t.api);
    expect(promtoolFindings(text)).toBe('');
  });

  it('counts HTTP by route template, method and status, and the 429 by tier', async () => {
    const { text, families } = await scrape(t.api);
    const series = { route: '/api/workspaces/:id', method: 'GET', status: '200' };
    expect(sample(text, 'http_request_duration_seconds_count', series)).toBe(3);
    expect(sample(text, 'http_request_duration_seconds_bucket', { ...series, le: '+Inf' })).toBe(3);
    // Cumulative buckets never decrease.
    const buckets = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5].map((le) =>
      sample(text, 'http_request_duration_seconds_bucket', { ...series, le: String(le) }),
    );
    expect(buckets.every((n) => Number.isInteger(n))).toBe(true);
    expect(buckets).toEqual([...buckets].sort((a, b) => a - b));
    expect(
      sample(text, 'http_request_duration_seconds_count', {
        route: '/api/auth/me',
        method: 'GET',
        status: '429',
      }),
    ).toBe(1);
    expect(
      sample(text, 'http_request_db_queries_count', {
        route: '/api/workspaces/:id',
        method: 'GET',
      }),
    ).toBe(3);
    expect(value(families.get('http_rate_limited_total'), { tier: 'anonymous' })).toBe(1);
    expect(value(families.get('http_rate_limited_total'), { tier: 'user' })).toBe(0);
    expect(value(families.get('cache_lookups_total'), { cache: 'workspace', result: 'hit' })).toBe(
      2,
    );
    expect(value(families.get('db_pool_max'), {})).toBe(5);
  });

  it('reports the same 429s by tier at /api/performance/metrics', async () => {
    const res = await t.api.get<PerformanceMetrics>('/api/performance/metrics', {
      token: await operatorToken(t.api),
    });
    expect(res.status, res.text).toBe(200);
    expect(res.body.rateLimited).toMatchObject({ anonymous: 1, user: 0 });
  });
});

/** Every `expr` of the Grafana dashboard and the alert rules in deploy/. */
function deployedExpressions(): { where: string; expr: string }[] {
  const dashboard = JSON.parse(
    readFileSync(join(repoRoot, 'deploy/grafana/dashboards/orchestrator.json'), 'utf8'),
  ) as { panels: { title: string; targets: { expr: string }[] }[] };
  const fromDashboard = dashboard.panels.flatMap((p) =>
    p.targets.map((target) => ({ where: `dashboard: ${p.title}`, expr: target.expr })),
  );
  const rules = readFileSync(join(repoRoot, 'deploy/prometheus/alerts.yml'), 'utf8');
  const fromRules = [...rules.matchAll(/^\s*expr:\s*(.+)$/gm)].map((m) => ({
    where: 'alerts.yml',
    expr: m[1]!.trim(),
  }));
  return [...fromDashboard, ...fromRules];
}

describe('the dashboard and the alert rules (deploy/)', () => {
  it('pass promtool check rules', () => {
    const run = spawnSync('promtool', ['check', 'rules', 'deploy/prometheus/alerts.yml'], {
      cwd: repoRoot,
      encoding: 'utf8',
    });
    expect(run.error).toBeUndefined();
    expect(`${run.stdout}${run.stderr}`).toContain('SUCCESS: 6 rules found');
    expect(run.status).toBe(0);
  });

  it('query only metrics that GET /metrics exposes', async () => {
    const t = await startTestApp({ env: { METRICS_TOKEN: TEST_METRICS_TOKEN } });
    try {
      await t.api.get('/api/health'); // so the HTTP histograms have a series
      const { text } = await scrape(t.api);
      const exposed = new Set(
        text
          .split('\n')
          .filter((line) => line !== '' && !line.startsWith('#'))
          .map((line) => /^[a-zA-Z_:][a-zA-Z0-9_:]*/.exec(line)![0]),
      );
      const expressions = deployedExpressions();
      expect(expressions.length).toBeGreaterThanOrEqual(18);
      const missing = expressions.flatMap(({ where, expr }) =>
        metricNamesIn(expr)
          .filter((name) => !exposed.has(name))
          .map((name) => `${where}: ${name}`),
      );
      expect(missing).toEqual([]);
      // The parser is not vacuous: it finds the names in a known expression.
      expect(metricNamesIn(expressions.find((e) => e.where === 'alerts.yml')!.expr)).toEqual([
        'http_request_duration_seconds_bucket',
      ]);
    } finally {
      await t.close();
    }
  });
});

describe('GET /metrics without METRICS_TOKEN', () => {
  it('is not served: 404 in the error format', async () => {
    const t = await startTestApp();
    try {
      const res = await t.api.get('/metrics', {
        headers: { authorization: `Bearer ${TEST_METRICS_TOKEN}` },
      });
      expect(res.status).toBe(404);
      expect(res.body).toEqual({
        statusCode: 404,
        error: 'Not Found',
        message: 'Cannot GET /metrics',
        code: 'NOT_FOUND',
      });
    } finally {
      await t.close();
    }
  });
});
