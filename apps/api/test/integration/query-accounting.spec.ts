import {
  type Agent,
  type AgentLite,
  type CreateAgentRequest,
  ErrorCode,
  type ErrorResponse,
  OPTIMIZATION_NAMES,
  type OptimizationsResponse,
  type Page,
  type PerformanceMetrics,
  type UpdateAgentRequest,
  type Workspace,
} from '@orch/contracts';
import { AsyncResource } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/infra/config/app-config.js';
import { QueryAccounting } from '../../src/infra/database/query-accounting.js';
import { currentRequest, runInRequestContext } from '../../src/infra/http/request-context.js';
import { AgentsService } from '../../src/modules/agents/agents.service.js';
import type { ApiResponse } from '../support/api-client.js';
import { factory, type TestUser } from '../support/factories.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { operatorToken } from '../support/operator.js';

function dbQueries(res: ApiResponse<unknown>): number {
  const header = res.headers.get('x-db-queries');
  expect(header, `X-DB-Queries of ${res.text.slice(0, 200)}`).toMatch(/^\d+$/);
  return Number(header);
}

/** A statement in short: `ACCESS CHECK`, `SELECT agents`, `INSERT agent_settings`, `COMMIT`, ... */
function verb(sql: string): string {
  const flat = sql.replace(/"/g, '').replace(/\s+/g, ' ').trim();
  const table = (pattern: RegExp) => pattern.exec(flat)?.[1] ?? '?';
  if (/^SELECT m\.workspace_id, m\.role FROM .*workspace_members m/.test(flat))
    return 'ACCESS CHECK';
  if (/^SELECT /.test(flat)) {
    return `SELECT ${table(/ FROM (\w+)/)}${/ FOR UPDATE/.test(flat) ? ' FOR UPDATE' : ''}`;
  }
  if (/^INSERT /.test(flat)) return `INSERT ${table(/^INSERT INTO (\w+)/)}`;
  if (/^UPDATE /.test(flat)) return `UPDATE ${table(/^UPDATE (\w+)/)}`;
  if (/^DELETE /.test(flat)) return `DELETE ${table(/^DELETE FROM (\w+)/)}`;
  return flat;
}

describe('query accounting', () => {
  let t: TestApp;
  let f: ReturnType<typeof factory>;
  let owner: TestUser;
  let ws: Workspace;

  beforeAll(async () => {
    // Without the caches, so every lookup shows up as the statement it runs.
    t = await startTestApp({ env: { OPTIMIZATIONS: 'batching,display-cache' } });
    f = factory(t.api);
    owner = await f.user();
    ws = await f.workspace(owner);
  });
  afterAll(() => t?.close());

  /** Sends the request while recording every statement the app runs. */
  async function recorded<T>(send: () => Promise<ApiResponse<T>>) {
    let res: ApiResponse<T> | undefined;
    const statements = await t.app.get(QueryAccounting).record(async () => {
      res = await send();
    });
    return { res: res!, statements, verbs: statements.map((s) => verb(s.sql)) };
  }

  describe('transactions', () => {
    it('counts START TRANSACTION and COMMIT as round trips: an agent with settings is 5', async () => {
      const body = {
        name: 'Planner',
        role: 'plans',
        settings: { temperature: '0.2', tone: 'dry', language: 'en' },
      } satisfies CreateAgentRequest;
      const { res, statements, verbs } = await recorded(() =>
        t.api.post<Agent>(`/api/workspaces/${ws.id}/agents`, body, { token: owner.token }),
      );
      expect(res.status, res.text).toBe(201);
      expect(verbs).toEqual([
        'ACCESS CHECK',
        'START TRANSACTION',
        'INSERT agents',
        'INSERT agent_settings',
        'COMMIT',
      ]);
      expect(dbQueries(res)).toBe(5);
      expect(dbQueries(res)).toBe(statements.length);
    });

    it('an agent without settings is 4: no settings INSERT', async () => {
      const { res, verbs } = await recorded(() =>
        t.api.post<Agent>(
          `/api/workspaces/${ws.id}/agents`,
          { name: 'Bare', role: 'none' } satisfies CreateAgentRequest,
          { token: owner.token },
        ),
      );
      expect(res.status, res.text).toBe(201);
      expect(dbQueries(res)).toBe(4);
      expect(verbs).toEqual(['ACCESS CHECK', 'START TRANSACTION', 'INSERT agents', 'COMMIT']);
    });

    it('an update that sets and removes settings is 8; a refused one rolls back in 4', async () => {
      const agent = await f.agent(owner, ws.id, { settings: { a: '1', b: '2' } });
      const patch = (body: UpdateAgentRequest) =>
        recorded(() => t.api.patch<Agent>(`/api/agents/${agent.id}`, body, { token: owner.token }));
      const changed = await patch({ name: 'Renamed', settings: { a: '10', b: null, c: '3' } });
      expect(changed.res.status, changed.res.text).toBe(200);
      expect(changed.res.body.settings).toEqual({ a: '10', c: '3' });
      // access, BEGIN, SELECT ... FOR UPDATE, UPDATE ... RETURNING, upsert, delete, COMMIT, settings
      expect(dbQueries(changed.res)).toBe(8);
      expect(changed.verbs).toEqual([
        'ACCESS CHECK',
        'START TRANSACTION',
        'SELECT agents FOR UPDATE',
        'UPDATE agents',
        'INSERT agent_settings',
        'DELETE agent_settings',
        'COMMIT',
        'SELECT agent_settings',
      ]);
      expect(changed.statements[4].sql).toMatch(/ON CONFLICT/);

      const terminated = await patch({ status: 'terminated' });
      expect(terminated.res.status, terminated.res.text).toBe(200);
      const refused = await patch({ name: 'Again' });
      expect(refused.res.status, refused.res.text).toBe(409);
      expect((refused.res.body as unknown as ErrorResponse).code).toBe(ErrorCode.AgentTerminated);
      expect(refused.verbs).toEqual([
        'ACCESS CHECK',
        'START TRANSACTION',
        'SELECT agents FOR UPDATE',
        'ROLLBACK',
      ]);
      expect(dbQueries(refused.res)).toBe(4);
    });
  });

  describe('refused requests', () => {
    it('a 400 from validation still reports the access check it ran first', async () => {
      const bad = await recorded(() =>
        t.api.post<ErrorResponse>(
          `/api/workspaces/${ws.id}/agents`,
          { name: '', role: 'x', extra: 1 },
          { token: owner.token },
        ),
      );
      expect(bad.res.status, bad.res.text).toBe(400);
      expect(bad.res.body.code).toBe(ErrorCode.ValidationFailed);
      expect(dbQueries(bad.res)).toBe(1);
      expect(bad.verbs).toEqual(['ACCESS CHECK']);

      const badQuery = await t.api.get<ErrorResponse>(`/api/workspaces/${ws.id}/agents?limit=0`, {
        token: owner.token,
      });
      expect(badQuery.status).toBe(400);
      expect(dbQueries(badQuery)).toBe(1);

      const badCursor = await t.api.get<ErrorResponse>(
        `/api/workspaces/${ws.id}/agents?cursor=not-a-cursor`,
        { token: owner.token },
      );
      expect(badCursor.status).toBe(400);
      expect(badCursor.body.code).toBe(ErrorCode.InvalidCursor);
      expect(dbQueries(badCursor)).toBe(1);
    });

    it('a 401 makes no query; a 404 for a stranger makes exactly the access check', async () => {
      const anonymous = await t.api.get(`/api/workspaces/${ws.id}/agents`);
      expect(anonymous.status).toBe(401);
      expect(dbQueries(anonymous)).toBe(0);
      const stranger = await f.user();
      const hidden = await t.api.get(`/api/workspaces/${ws.id}/agents`, { token: stranger.token });
      expect(hidden.status).toBe(404);
      expect(dbQueries(hidden)).toBe(1);
      const missing = await t.api.get(`/api/agents/${randomUUID()}`, { token: owner.token });
      expect(missing.status).toBe(404);
      expect(dbQueries(missing)).toBe(1);
    });
  });

  describe('GET /api/performance/optimizations', () => {
    const listed = async (app: TestApp, user: TestUser) => {
      const res = await app.api.get<OptimizationsResponse>('/api/performance/optimizations', {
        token: user.token,
      });
      expect(res.status, res.text).toBe(200);
      expect(dbQueries(res)).toBe(0);
      return Object.fromEntries(res.body.optimizations.map((o) => [o.name, o.enabled]));
    };

    it('OPTIMIZATIONS unset (all): batching and every other one enabled', async () => {
      const app = await startTestApp();
      try {
        const enabled = await listed(app, await factory(app.api).user());
        expect(enabled.batching).toBe(true);
        expect(Object.keys(enabled).sort()).toEqual([...OPTIMIZATION_NAMES].sort());
        expect(Object.values(enabled).every(Boolean)).toBe(true);
      } finally {
        await app.close();
      }
    });

    it.each([
      ['all', OPTIMIZATION_NAMES],
      ['none', []],
      ['batching', ['batching']],
      [' Batching , ', ['batching']],
    ])('OPTIMIZATIONS=%j', async (value, on) => {
      const app = await startTestApp({ env: { OPTIMIZATIONS: value } });
      try {
        const user = await factory(app.api).user();
        const enabled = await listed(app, user);
        expect(Object.keys(enabled).sort()).toEqual([...OPTIMIZATION_NAMES].sort());
        for (const name of OPTIMIZATION_NAMES) {
          expect(enabled[name], name).toBe((on as string[]).includes(name));
        }
        expect(enabled.batching).toBe(on.length > 0);
      } finally {
        await app.close();
      }
    });

    it('an unknown name: the app refuses to start with a ConfigError naming OPTIMIZATIONS', async () => {
      const failure = await startTestApp({ env: { OPTIMIZATIONS: 'batching,turbo' } }).then(
        async (app) => {
          await app.close();
          return undefined;
        },
        (error: unknown) => error,
      );
      expect(failure).toBeInstanceOf(ConfigError);
      expect((failure as ConfigError).problems).toEqual([
        expect.stringMatching(/^OPTIMIZATIONS: unknown optimization turbo\b/),
      ]);
      expect((failure as Error).message).toContain('OPTIMIZATIONS');
    });
  });

  describe('GET /api/performance/metrics', () => {
    beforeAll(async () => {
      // Whether the caller is an operator is looked up once per user (one query), then known.
      const first = await t.api.get('/api/performance/metrics', {
        token: await operatorToken(t.api),
      });
      expect(dbQueries(first)).toBe(1);
    });

    const metrics = async (app: TestApp = t) => {
      const res = await app.api.get<PerformanceMetrics>('/api/performance/metrics', {
        token: await operatorToken(app.api),
      });
      expect(res.status, res.text).toBe(200);
      expect(dbQueries(res)).toBe(0);
      return res.body.database;
    };

    it('counts every round trip: the total grows by exactly what the responses report', async () => {
      const before = await metrics();
      const sent = await Promise.all([
        t.api.get(`/api/workspaces/${ws.id}/agents`, { token: owner.token }),
        t.api.get(`/api/workspaces/${ws.id}/dashboard`, { token: owner.token }),
        t.api.post(
          `/api/workspaces/${ws.id}/agents`,
          { name: 'M', role: 'r', settings: { k: 'v' } },
          {
            token: owner.token,
          },
        ),
      ]);
      const reported = sent.reduce((sum, res) => sum + dbQueries(res), 0);
      expect(reported).toBe(3 + 4 + 5);
      const after = await metrics();
      expect(after.queries - before.queries).toBe(reported);
      expect(after.pool.max).toBe(5);
      expect(after.pool.total).toBeGreaterThan(0);
      expect(after.pool.total).toBeLessThanOrEqual(5);
    });

    it('keeps per-statement stats with literals normalised to ?', async () => {
      const list = () =>
        t.api.get<Page<AgentLite>>(`/api/workspaces/${ws.id}/agents?view=lite&limit=7`, {
          token: owner.token,
        });
      const accounting = t.app.get(QueryAccounting);
      const statementOf = () =>
        accounting.statements
          .slowest(500)
          .find((s) => s.sql.startsWith('SELECT "a"."id" AS "a_id", "a"."name" AS "a_name"'));
      expect((await list()).status).toBe(200);
      const first = statementOf();
      expect(first?.sql).toMatch(/LIMIT \?$/);
      expect(first?.sql).not.toMatch(/LIMIT 8/);
      await list();
      expect(statementOf()?.count).toBe((first?.count ?? 0) + 1);

      const { slowestStatements } = await metrics();
      expect(slowestStatements.length).toBeGreaterThan(0);
      expect(slowestStatements.length).toBeLessThanOrEqual(10);
      for (const s of slowestStatements) {
        expect(s).toEqual({
          sql: expect.any(String),
          count: expect.any(Number),
          totalMs: expect.any(Number),
          meanMs: expect.any(Number),
          p95Ms: expect.any(Number),
          maxMs: expect.any(Number),
        });
        expect(s.sql).not.toMatch(/'[^']*'|\bLIMIT \d/);
        expect(s.count).toBeGreaterThan(0);
        expect(s.maxMs).toBeGreaterThanOrEqual(s.p95Ms);
      }
      const p95s = slowestStatements.map((s) => s.p95Ms);
      expect(p95s).toEqual([...p95s].sort((a, b) => b - a));
    });

    it('one statement whatever the length of its IN list', async () => {
      // settingsFor: `agent_id IN ($1, ..., $n)`, one per page size; it is one statement.
      const other = await f.workspace(owner);
      for (let i = 0; i < 3; i++) await f.agent(owner, other.id, { settings: { k: 'v' } });
      for (const limit of [1, 2, 3]) {
        const res = await t.api.get<Page<Agent>>(
          `/api/workspaces/${other.id}/agents?limit=${limit}`,
          { token: owner.token },
        );
        expect(res.body.items).toHaveLength(limit);
      }
      const settingsReads = t.app
        .get(QueryAccounting)
        .statements.slowest(500)
        .filter((s) => /^SELECT .* FROM "agent_settings"/.test(s.sql) && /\bIN\b/.test(s.sql));
      expect(settingsReads.map((s) => s.sql.replace(/^.* WHERE /, '... WHERE '))).toEqual([
        expect.any(String),
      ]);
      expect(settingsReads[0].count).toBeGreaterThanOrEqual(3);
    });

    it('DB_SLOW_QUERY_MS=1 counts slow statements; the default 500 ms does not', async () => {
      const sensitive = await startTestApp({ env: { DB_SLOW_QUERY_MS: '1' } });
      try {
        await sensitive.db.query('SELECT pg_sleep(0.01)');
        const res = await sensitive.api.get<PerformanceMetrics>('/api/performance/metrics', {
          token: await operatorToken(sensitive.api),
        });
        expect(res.status).toBe(200);
        expect(res.body.database.slowQueryThresholdMs).toBe(1);
        expect(res.body.database.slowQueries).toBeGreaterThan(0);
        expect(res.body.database.slowestStatements.map((s) => s.sql)).toContain(
          'SELECT pg_sleep(?)',
        );
      } finally {
        await sensitive.close();
      }
      await t.db.query('SELECT pg_sleep(0.01)');
      const relaxed = await metrics();
      expect(relaxed.slowQueryThresholdMs).toBe(500);
      expect(relaxed.slowQueries).toBe(0);
    });
  });

  describe('the request-scoped batcher', () => {
    let agents: Agent[];
    let elsewhere: Agent;

    beforeAll(async () => {
      const ws2 = await f.workspace(owner);
      agents = [];
      for (let i = 0; i < 6; i++) agents.push(await f.agent(owner, ws.id));
      elsewhere = await f.agent(owner, ws2.id);
    });

    it('N concurrent findInWorkspace loads in one request context make one query', async () => {
      const service = t.app.get(AgentsService);
      const ids = [...agents.map((a) => a.id), elsewhere.id, randomUUID()];
      let queries = -1;
      const statements = await t.app.get(QueryAccounting).record(() =>
        runInRequestContext(async () => {
          const found = await Promise.all(ids.map((id) => service.findInWorkspace(ws.id, id)));
          queries = currentRequest()!.queries;
          expect(found).toEqual([
            ...agents.map((a) => ({ id: a.id, status: a.status })),
            null, // another workspace's agent
            null, // no such agent
          ]);
        }),
      );
      expect(queries).toBe(1);
      expect(statements).toHaveLength(1);
      expect(statements[0].sql).toMatch(/FROM "agents"/);
      expect([...statements[0].parameters].sort()).toEqual([...ids].sort());
    });

    it('asks for a repeated id once, and serves it from the request cache afterwards', async () => {
      const service = t.app.get(AgentsService);
      const id = agents[0].id;
      await runInRequestContext(async () => {
        const context = currentRequest()!;
        const [a, b] = await Promise.all([
          service.findInWorkspace(ws.id, id),
          service.findInWorkspace(ws.id, id),
        ]);
        expect(a).toEqual(b);
        expect(context.queries).toBe(1);
        expect(await service.findInWorkspace(ws.id, id)).toEqual(a);
        expect(context.queries).toBe(1);
        await service.findInWorkspace(ws.id, agents[1].id);
        expect(context.queries).toBe(2);
      });
    });

    it('outside a request context every load is its own query (nothing shared)', async () => {
      const service = t.app.get(AgentsService);
      const statements = await t.app
        .get(QueryAccounting)
        .record(() => Promise.all(agents.map((a) => service.findInWorkspace(ws.id, a.id))));
      expect(statements).toHaveLength(agents.length);
    });

    it('two request contexts do not share a batch', async () => {
      const service = t.app.get(AgentsService);
      const counts = await Promise.all(
        [agents.slice(0, 3), agents.slice(3)].map((group) =>
          runInRequestContext(async () => {
            await Promise.all(group.map((a) => service.findInWorkspace(ws.id, a.id)));
            return currentRequest()!.queries;
          }),
        ),
      );
      expect(counts).toEqual([1, 1]);
    });
  });

  it('records the work and its requests, not background work that runs meanwhile', async () => {
    // Bound here, outside the recording: it runs as the display queue's poll does, in no
    // request and not in the recorded work, even when it runs inside the window.
    const background = AsyncResource.bind(() => t.db.query('SELECT 1 AS background'));
    const statements = await t.app.get(QueryAccounting).record(async () => {
      await background();
      await t.db.query('SELECT 2 AS own');
      await runInRequestContext(() => t.db.query('SELECT 3 AS request'));
      await background();
    });
    expect(statements.map((s) => s.sql)).toEqual(['SELECT 2 AS own', 'SELECT 3 AS request']);
  });
});
