import {
  type Agent,
  AGENT_STATUSES,
  type AgentStatus,
  type Dashboard,
  DASHBOARD_RECENT_DELIVERABLES,
  type Deliverable,
  ErrorCode,
  type ErrorResponse,
  type Goal,
  type Workspace,
} from '@orch/contracts';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiResponse } from '../support/api-client.js';
import { addMember, factory, type TestUser, withoutDisplay } from '../support/factories.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

function expectError(res: ApiResponse<unknown>, status: number, code: ErrorCode): ErrorResponse {
  expect(res.status, res.text).toBe(status);
  const body = res.body as ErrorResponse;
  expect(body).toMatchObject({ statusCode: status, code });
  return body;
}

const byId = <T extends { id: string }>(a: T, b: T) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
const newestFirst = <T extends { createdAt: string; id: string }>(a: T, b: T) =>
  b.createdAt.localeCompare(a.createdAt) || byId(b, a);

describe('dashboard', () => {
  let t: TestApp;
  let f: ReturnType<typeof factory>;
  let owner: TestUser;

  const dashboard = (workspaceId: string, user: TestUser = owner) =>
    t.api.get<Dashboard>(`/api/workspaces/${workspaceId}/dashboard`, { token: user.token });

  beforeAll(async () => {
    t = await startTestApp();
    f = factory(t.api);
    owner = await f.user();
  });
  afterAll(() => t.close());

  describe('a busy workspace', () => {
    let ws: Workspace;
    let agents: Agent[];
    let deliverables: Deliverable[];
    let goals: Goal[];

    beforeAll(async () => {
      ws = await f.workspace(owner);
      agents = [];
      const statuses: (AgentStatus | undefined)[] = [
        'active',
        'active',
        'busy',
        'terminated',
        undefined,
      ];
      for (const [i, status] of statuses.entries()) {
        const agent = await f.agent(owner, ws.id, {
          settings: i % 2 === 0 ? { temperature: `0.${i}`, tone: 'dry' } : undefined,
        });
        if (!status) {
          agents.push(agent);
          continue;
        }
        const res = await t.api.patch<Agent>(
          `/api/agents/${agent.id}`,
          { status },
          {
            token: owner.token,
          },
        );
        expect(res.status).toBe(200);
        agents.push(res.body);
      }
      deliverables = [];
      for (let i = 0; i < 12; i++) {
        deliverables.push(
          withoutDisplay(
            await f.deliverable(owner, ws.id, {
              agentId: agents[i % 3].id,
              content: `# Part ${i}`,
            }),
          ),
        );
      }
      goals = [
        await f.goal(owner, ws.id, { agentIds: [agents[0].id], targetDeliverables: 3 }),
        await f.goal(owner, ws.id, { description: 'weekly', windowHours: 168 }),
      ];
      await f.process(owner, ws.id, agents[0].id);
      await f.process(owner, ws.id, agents[1].id);

      // Another workspace of the same owner, whose records must not leak in.
      const other = await f.workspace(owner);
      const otherAgent = await f.agent(owner, other.id);
      await f.deliverable(owner, other.id, { agentId: otherAgent.id });
      await f.goal(owner, other.id);
    });

    it('returns the workspace, counts and status counts with every AgentStatus key', async () => {
      const res = await dashboard(ws.id);
      expect(res.status, res.text).toBe(200);
      const got = await t.api.get<Workspace>(`/api/workspaces/${ws.id}`, { token: owner.token });
      expect(res.body.workspace).toEqual(got.body);
      expect(res.body.counts).toEqual({
        agents: 5,
        deliverables: 12,
        thinkingProcesses: 2,
        goals: 2,
      });
      expect(Object.keys(res.body.agentStatusCounts).sort()).toEqual([...AGENT_STATUSES].sort());
      expect(res.body.agentStatusCounts).toEqual({
        active: 2,
        idle: 1,
        busy: 1,
        error: 0,
        offline: 0,
        terminated: 1,
      });
    });

    it('returns every agent with its settings, as GET /api/agents/:id does', async () => {
      const res = await dashboard(ws.id);
      const expected: Agent[] = [];
      for (const agent of agents) {
        const one = await t.api.get<Agent>(`/api/agents/${agent.id}`, { token: owner.token });
        expect(one.status).toBe(200);
        expected.push(one.body);
      }
      expect([...res.body.agents].sort(byId)).toEqual(expected.sort(byId));
      const withSettings = res.body.agents.find((a) => a.id === agents[2].id);
      expect(withSettings?.settings).toEqual({ temperature: '0.2', tone: 'dry' });
      expect(res.body.agents.find((a) => a.id === agents[1].id)?.settings).toEqual({});
    });

    it(`returns the ${DASHBOARD_RECENT_DELIVERABLES} most recent deliverables, newest first`, async () => {
      const res = await dashboard(ws.id);
      const expected = [...deliverables].sort(newestFirst).slice(0, DASHBOARD_RECENT_DELIVERABLES);
      expect(res.body.recentDeliverables).toHaveLength(10);
      expect(res.body.recentDeliverables).toEqual(expected);
      // The two oldest are left out.
      const shown = new Set(res.body.recentDeliverables.map((d) => d.id));
      for (const d of [...deliverables].sort(newestFirst).slice(10)) {
        expect(shown.has(d.id)).toBe(false);
      }
    });

    it('returns the workspace’s goals, as GET /api/goals/:id does', async () => {
      const res = await dashboard(ws.id);
      expect([...res.body.goals].sort(byId)).toEqual([...goals].sort(byId));
    });

    it('reflects a change made after the previous read', async () => {
      const before = await dashboard(ws.id);
      const agent = await f.agent(owner, ws.id, { settings: { fresh: 'yes' } });
      const d = await f.deliverable(owner, ws.id);
      const after = await dashboard(ws.id);
      expect(after.body.counts.agents).toBe(before.body.counts.agents + 1);
      expect(after.body.counts.deliverables).toBe(before.body.counts.deliverables + 1);
      expect(after.body.agentStatusCounts.idle).toBe(before.body.agentStatusCounts.idle + 1);
      expect(after.body.agents).toContainEqual(agent);
      expect(after.body.recentDeliverables[0]).toEqual(withoutDisplay(d));
      expect(after.body.recentDeliverables).toHaveLength(10);
    });

    it('is readable by a member', async () => {
      const member = await addMember(t.api, owner, ws.id);
      const res = await dashboard(ws.id, member);
      expect(res.status).toBe(200);
      expect(res.body.workspace.id).toBe(ws.id);
    });
  });

  it('answers an empty workspace with zero counts and every status key at 0', async () => {
    const ws = await f.workspace(owner);
    const res = await dashboard(ws.id);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      workspace: ws,
      agents: [],
      agentStatusCounts: Object.fromEntries(AGENT_STATUSES.map((s) => [s, 0])),
      recentDeliverables: [],
      goals: [],
      counts: { agents: 0, deliverables: 0, thinkingProcesses: 0, goals: 0 },
    });
  });

  it('counts agent statuses over every agent of a large workspace', async () => {
    const ws = await f.workspace(owner);
    // 505 idle agents, and 5 older ones in error: 510 in all.
    await t.db.query(
      `INSERT INTO agents (workspace_id, name, role, model, status, created_at, updated_at)
       SELECT $1, 'Bulk ' || i, 'worker', 'gpt-4o-mini',
              (CASE WHEN i < 5 THEN 'error' ELSE 'idle' END)::agent_status,
              now() - interval '1 day' + i * interval '1 ms',
              now() - interval '1 day' + i * interval '1 ms'
         FROM generate_series(0, 509) AS i`,
      [ws.id],
    );
    const res = await dashboard(ws.id);
    expect(res.status).toBe(200);
    expect(res.body.counts.agents).toBe(510);
    const total = Object.values(res.body.agentStatusCounts).reduce((a, b) => a + b, 0);
    expect({ ...res.body.agentStatusCounts, total }).toEqual({
      active: 0,
      idle: 505,
      busy: 0,
      error: 5,
      offline: 0,
      terminated: 0,
      total: 510,
    });
  });

  it('answers 404 to a non-member, an unknown id and a non-UUID id alike', async () => {
    const stranger = await f.user();
    const ws = await f.workspace(owner);
    const bodies = [];
    for (const [id, user] of [
      [ws.id, stranger],
      [randomUUID(), owner],
      ['dashboard', owner],
    ] as const) {
      const res = await dashboard(id, user);
      expectError(res, 404, ErrorCode.NotFound);
      expect(res.body).toEqual({
        statusCode: 404,
        error: 'Not Found',
        message: expect.any(String),
        code: 'NOT_FOUND',
      });
      bodies.push(res.body);
    }
    expect(bodies[0]).toEqual(bodies[1]);
  });
});
