import type { Agent, Goal } from '@orch/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { factory, type TestUser } from '../support/factories.js';
import { mustSchedule } from '../support/goal-monitor.js';
import { waitFor } from '../support/locks.js';
import { closeAll, connectClient, type RealtimeClient } from '../support/socket-client.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/**
 * The goal monitor on the system clock, seen from a socket.io client in the
 * workspace's room: a PATCH that terminates a goal's only agent comes back as
 * goal.updated with status at_risk, one event delay (2 s, the default) later.
 * The cooldown is off here so the measured path is the event delay alone; the
 * cooldown has its own test on the manual clock (goal-monitor.spec.ts).
 */
describe('goal monitor: an event to a pushed verdict, in real time', () => {
  let t: TestApp;
  let owner: TestUser;
  const clients: RealtimeClient[] = [];

  beforeAll(async () => {
    t = await startTestApp({
      env: { GOAL_MONITOR_ENABLED: 'true', GOAL_MONITOR_EVENT_COOLDOWN_MS: '0' },
    });
    owner = await factory(t.api).user();
  });
  afterAll(async () => {
    await closeAll(clients);
    await t.close();
  });

  it('terminating a goal’s only agent makes the goal at_risk within seconds, pushed as goal.updated', async () => {
    const f = factory(t.api);
    const ws = await f.workspace(owner);
    const agent = await f.agent(owner, ws.id);
    const goal = await f.goal(owner, ws.id, {
      agentIds: [agent.id],
      targetDeliverables: 3,
      windowHours: 24,
    });
    await waitFor('the goal’s first check', async () => {
      return ((await mustSchedule(t.db, ws.id)).checks ?? 0) >= 1;
    });
    const client = await connectClient(t.baseUrl, { token: owner.token, workspaceId: ws.id });
    clients.push(client);
    const since = client.mark();

    const sentAt = performance.now();
    const res = await t.api.patch<Agent>(
      `/api/agents/${agent.id}`,
      { status: 'terminated' },
      { token: owner.token },
    );
    expect(res.status, res.text).toBe(200);
    const pushed = await client.waitForEvent('goal.updated', {
      where: (p) => p.goal.id === goal.id,
      since,
      timeoutMs: 10_000,
    });
    const seconds = (pushed.at - sentAt) / 1000;
    expect(pushed.payload.goal).toMatchObject({
      id: goal.id,
      status: 'at_risk',
      progress: 0,
      statusReason: 'Every assigned agent is error, offline or terminated',
    } satisfies Partial<Goal>);
    // Never before the event delay (it debounces), and not much after it.
    expect(seconds).toBeGreaterThanOrEqual(2);
    expect(seconds).toBeLessThan(6);
    // Only the verdict's change was pushed: one goal.updated after the PATCH, no more.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(client.events.slice(since).filter((e) => e.name === 'goal.updated').length).toBe(1);
    const stored = await t.api.get<Goal>(`/api/goals/${goal.id}`, { token: owner.token });
    expect(stored.body).toEqual(pushed.payload.goal);
  });

  it('an agent update that cannot change a verdict asks for no check', async () => {
    const f = factory(t.api);
    const ws = await f.workspace(owner);
    const watched = await f.agent(owner, ws.id);
    const other = await f.agent(owner, ws.id);
    await f.goal(owner, ws.id, { agentIds: [watched.id], targetDeliverables: 1 });
    await waitFor('the goal’s first check', async () => {
      return (await mustSchedule(t.db, ws.id)).checks >= 1;
    });
    const before = await mustSchedule(t.db, ws.id);
    // A rename, a busy/idle flip of the watched agent, anything of an agent no goal watches.
    for (const [agent, body] of [
      [watched, { name: 'Renamed' }],
      [watched, { status: 'busy' }],
      [watched, { status: 'idle' }],
      [other, { status: 'terminated' }],
    ] as const) {
      const res = await t.api.patch(`/api/agents/${agent.id}`, body, { token: owner.token });
      expect(res.status, res.text).toBe(200);
    }
    expect(await mustSchedule(t.db, ws.id)).toEqual(before);
    // The watched agent going offline does.
    await t.api.patch(`/api/agents/${watched.id}`, { status: 'offline' }, { token: owner.token });
    const after = await mustSchedule(t.db, ws.id);
    expect(after.requestedAt).not.toBeNull();
    expect(after.nextCheckAt).toBeLessThan(before.nextCheckAt);
  });
});
