import type {
  Agent,
  Deliverable,
  Goal,
  Page,
  ThinkingProcessWithSteps,
  ThinkingStep,
} from '@orch/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  QueryAccounting,
  type RecordedStatement,
} from '../../src/infra/database/query-accounting.js';
import { seedScale } from '../../src/seed/seed.js';
import type { ApiResponse } from '../support/api-client.js';
import { factory, type TestUser } from '../support/factories.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/**
 * The plans of the hot queries on realistic volumes: the exact SQL and parameters the
 * app runs for each endpoint (recorded through QueryAccounting), explained by Postgres.
 * None may read a big table sequentially.
 */

const BIG_TABLES = new Set([
  'thinking_steps',
  'thinking_processes',
  'deliverables',
  'agents',
  'agent_settings',
]);

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  Plans?: PlanNode[];
}

const INDEX_READS = new Set(['Index Scan', 'Index Only Scan', 'Bitmap Heap Scan']);

const walk = (node: PlanNode): PlanNode[] => [node, ...(node.Plans ?? []).flatMap(walk)];

/** The seeded volumes: one big workspace, and many small ones owned by someone else. */
const BIG = {
  workspaces: 1,
  agentsPerWorkspace: 10,
  settingsPerAgent: 3,
  deliverablesPerWorkspace: 10_000,
  processesPerWorkspace: 1_000,
  stepsPerProcess: 100,
  goalsPerWorkspace: 30,
};
const OTHERS = {
  workspaces: 100,
  agentsPerWorkspace: 50,
  settingsPerAgent: 4,
  deliverablesPerWorkspace: 20,
  processesPerWorkspace: 10,
  stepsPerProcess: 10,
  goalsPerWorkspace: 5,
};
const SEED_BUDGET_MS = 30_000;

interface Explained {
  sql: string;
  parameters: unknown[];
  nodes: PlanNode[];
}

describe('query plans on 100k steps and 10k deliverables', () => {
  let t: TestApp;
  let owner: TestUser;
  let workspaceId: string;
  let seedMs: number;

  beforeAll(async () => {
    // Without the caches, so every lookup shows up as the statement it runs.
    t = await startTestApp({ env: { OPTIMIZATIONS: 'batching,display-cache' } });
    const f = factory(t.api);
    owner = await f.user();
    const someoneElse = await f.user();
    const started = performance.now();
    const big = await seedScale(t.db, owner.userId, BIG, 1);
    await seedScale(t.db, someoneElse.userId, OTHERS, 2);
    seedMs = performance.now() - started;
    console.log(`[explain] seeded ${big.rows} + others in ${Math.round(seedMs)} ms`, big.tables);
    workspaceId = big.workspaceIds[0];
  }, 120_000);
  afterAll(() => t?.close());

  /** Runs the request, returns its response and the plan of every statement it ran. */
  async function explain<T>(path: string): Promise<{ res: ApiResponse<T>; plans: Explained[] }> {
    let res: ApiResponse<T> | undefined;
    const recorded = await t.app.get(QueryAccounting).record(async () => {
      res = await t.api.get<T>(path, { token: owner.token });
    });
    expect(res?.status, res?.text).toBe(200);
    const plans: Explained[] = [];
    for (const statement of recorded) plans.push(await plan(statement));
    return { res: res!, plans };
  }

  async function plan({ sql, parameters }: RecordedStatement): Promise<Explained> {
    const rows = await t.db.query<{ 'QUERY PLAN': { Plan: PlanNode }[] }[]>(
      `EXPLAIN (FORMAT JSON) ${sql}`,
      parameters,
    );
    return { sql, parameters, nodes: walk(rows[0]['QUERY PLAN'][0].Plan) };
  }

  /**
   * No statement reads a big table sequentially. Returns the tables the statements read
   * through an index (index scans, index-only scans, bitmap heap scans).
   */
  function expectIndexed(plans: Explained[]): string[] {
    const seqScans = plans.flatMap((p) =>
      p.nodes
        .filter((n) => n['Node Type'] === 'Seq Scan' && BIG_TABLES.has(n['Relation Name'] ?? ''))
        .map((n) => `Seq Scan on ${n['Relation Name']} in: ${p.sql.replace(/\s+/g, ' ')}`),
    );
    expect(seqScans).toEqual([]);
    const indexed = plans.flatMap((p) =>
      p.nodes.filter((n) => INDEX_READS.has(n['Node Type'])).map((n) => n['Relation Name'] ?? ''),
    );
    return [...new Set(indexed)].sort();
  }

  it(`seeds the volumes in under ${SEED_BUDGET_MS / 1000} s`, async () => {
    expect(seedMs).toBeLessThan(SEED_BUDGET_MS);
    const rows = await t.db.query<{ steps: number; deliverables: number }[]>(
      `SELECT (SELECT count(*) FROM thinking_steps)::int AS steps,
              (SELECT count(*) FROM deliverables)::int AS deliverables`,
    );
    expect(rows[0].steps).toBeGreaterThanOrEqual(100_000);
    expect(rows[0].deliverables).toBeGreaterThanOrEqual(10_000);
  });

  it('thinking: first page and a cursor page', async () => {
    const path = `/api/workspaces/${workspaceId}/thinking?processes=10&stepsPerProcess=20`;
    const first = await explain<Page<ThinkingProcessWithSteps>>(path);
    const cursor = first.res.body.nextCursor;
    expect(cursor).toEqual(expect.any(String));
    const second = await explain<Page<ThinkingProcessWithSteps>>(`${path}&cursor=${cursor}`);
    for (const { plans, res } of [first, second]) {
      expect(res.body.items).toHaveLength(10);
      expect(plans).toHaveLength(3);
      expect(expectIndexed(plans)).toEqual(
        expect.arrayContaining(['thinking_processes', 'thinking_steps']),
      );
    }
  });

  it('agents: full (with settings) and lite', async () => {
    const full = await explain<Page<Agent>>(`/api/workspaces/${workspaceId}/agents`);
    expect(full.res.body.items).toHaveLength(BIG.agentsPerWorkspace);
    expect(full.plans).toHaveLength(3);
    expect(expectIndexed(full.plans)).toEqual(expect.arrayContaining(['agents', 'agent_settings']));
    const lite = await explain(`/api/workspaces/${workspaceId}/agents?view=lite`);
    expect(lite.plans).toHaveLength(2);
    expect(expectIndexed(lite.plans)).toContain('agents');
  });

  it('deliverables: first page and a cursor page', async () => {
    const path = `/api/workspaces/${workspaceId}/deliverables?limit=20`;
    // The first read of a page stores its display content; explain the reads after that.
    const warm = await t.api.get<Page<Deliverable>>(path, { token: owner.token });
    const cursor = warm.body.nextCursor;
    expect(cursor).toEqual(expect.any(String));
    const warmSecond = await t.api.get(`${path}&cursor=${cursor}`, { token: owner.token });
    expect(warmSecond.status, warmSecond.text).toBe(200);
    const first = await explain<Page<Deliverable>>(path);
    expect(first.res.body.nextCursor).toBe(cursor);
    const second = await explain<Page<Deliverable>>(`${path}&cursor=${cursor}`);
    for (const { plans, res } of [first, second]) {
      expect(res.body.items).toHaveLength(20);
      expect(plans).toHaveLength(2);
      expect(expectIndexed(plans)).toContain('deliverables');
    }
  });

  it('dashboard', async () => {
    const { plans } = await explain(`/api/workspaces/${workspaceId}/dashboard`);
    expect(plans).toHaveLength(4);
    expect(expectIndexed(plans)).toEqual(
      expect.arrayContaining(['agent_settings', 'agents', 'deliverables', 'thinking_processes']),
    );
  });

  it("a process's steps: first page and a cursor page", async () => {
    const [process] = await t.db.query<{ id: string }[]>(
      `SELECT id FROM thinking_processes WHERE workspace_id = $1 ORDER BY created_at LIMIT 1`,
      [workspaceId],
    );
    const path = `/api/thinking/${process.id}/steps?limit=20`;
    const first = await explain<Page<ThinkingStep>>(path);
    const cursor = first.res.body.nextCursor;
    expect(cursor).toEqual(expect.any(String));
    const second = await explain<Page<ThinkingStep>>(`${path}&cursor=${cursor}`);
    for (const { plans, res } of [first, second]) {
      expect(res.body.items).toHaveLength(20);
      expect(plans).toHaveLength(2);
      expect(expectIndexed(plans)).toEqual(
        expect.arrayContaining(['thinking_processes', 'thinking_steps']),
      );
    }
  });

  it('goals', async () => {
    const { res, plans } = await explain<Page<Goal>>(`/api/workspaces/${workspaceId}/goals`);
    expect(res.body.items).toHaveLength(20);
    expect(plans).toHaveLength(2);
    expectIndexed(plans);
  });

  it('the access check, for every kind of scoped record', async () => {
    const [ids] = await t.db.query<
      { agent: string; deliverable: string; process: string; goal: string }[]
    >(
      `SELECT (SELECT id FROM agents WHERE workspace_id = $1 LIMIT 1) AS agent,
              (SELECT id FROM deliverables WHERE workspace_id = $1 LIMIT 1) AS deliverable,
              (SELECT id FROM thinking_processes WHERE workspace_id = $1 LIMIT 1) AS process,
              (SELECT id FROM goals WHERE workspace_id = $1 LIMIT 1) AS goal`,
      [workspaceId],
    );
    const cases: [string, string | null][] = [
      // workspace_members is small (one row per membership): any plan will do.
      [`/api/workspaces/${workspaceId}/agents?view=lite&limit=1`, null],
      [`/api/agents/${ids.agent}`, 'agents'],
      [`/api/deliverables/${ids.deliverable}`, 'deliverables'],
      [`/api/thinking/${ids.process}`, 'thinking_processes'],
      [`/api/goals/${ids.goal}`, 'goals'],
    ];
    for (const [path, table] of cases) {
      const { plans } = await explain(path);
      const access = plans[0];
      expect(access.sql, path).toMatch(/FROM workspace_members m|JOIN workspace_members m/);
      const indexed = expectIndexed([access]);
      if (table) {
        expect(indexed, path).toContain(table);
        // The record by primary key, then its membership row.
        expect(
          access.nodes.filter((n) => n['Relation Name'] === table).map((n) => n['Index Name']),
          path,
        ).toEqual([`pk_${table}`]);
      }
    }
  });
});
