import { afterEach, describe, expect, it } from 'vitest';
import type { TestUser } from '../support/factories.js';
import { type MonitorApp, mustSchedule, startMonitorApp } from '../support/goal-monitor.js';
import type { ManualClock } from '../support/manual-clock.js';
import type { TestApp } from '../support/test-app.js';

/**
 * What the goal monitor decides and stores, in the real app on a real PostgreSQL with a clock
 * the test moves (each test its own app, database and clock). When it checks:
 * goal-monitor.spec.ts.
 */

const MIN = 60_000;
const ms = (iso: string) => new Date(iso).getTime();

describe('the goal monitor’s verdicts, on a clock the test moves', () => {
  let h: MonitorApp | undefined;
  let t: TestApp;
  let clock: ManualClock;
  let f: MonitorApp['f'];
  let owner: TestUser;

  async function start(env: Record<string, string> = {}): Promise<TestApp> {
    h = await startMonitorApp(env);
    ({ app: t, clock, f, owner } = h);
    return t;
  }
  const stats = () => h!.stats();
  const getGoal = (id: string) => h!.getGoal(id);
  const updatesOf = (id: string) => h!.updatesOf(id);

  afterEach(async () => {
    await h?.app.close();
    h = undefined;
  });

  it('keeps the verdicts: achieved on target, at risk when quiet, missed when the window closes, each exactly on time; paused goals untouched', async () => {
    const app = await start();
    const ws = await f.workspace(owner);
    const agent = await f.agent(owner, ws.id);
    const body = { agentIds: [agent.id], windowHours: 1 };
    const shipped = await f.goal(owner, ws.id, { ...body, targetDeliverables: 2 });
    const lagging = await f.goal(owner, ws.id, { ...body, targetDeliverables: 3 });
    const paused = await f.goal(owner, ws.id, { ...body, targetDeliverables: 3 });
    const pause = await app.api.patch(
      `/api/goals/${paused.id}`,
      { status: 'paused' },
      { token: owner.token },
    );
    expect(pause.status, pause.text).toBe(200);
    await f.deliverable(owner, ws.id, { agentId: agent.id });
    const last = await f.deliverable(owner, ws.id, { agentId: agent.id });
    const firstCheckAt = clock.now() + 2_000;

    await clock.advance(2 * 60 * MIN);

    // Achieved at the first check, and never announced again.
    expect(updatesOf(shipped.id).slice(1)).toEqual([
      { at: firstCheckAt, status: 'achieved', progress: 100 },
    ]);
    expect((await getGoal(shipped.id)).statusReason).toBe('2 of 2 deliverables within the window');
    // Active at 2 of 3; at risk exactly a quarter window (15 min) after the last activity;
    // missed exactly when its hour is up. The monitor woke for both moments.
    expect(updatesOf(lagging.id).slice(1)).toEqual([
      { at: firstCheckAt, status: 'active', progress: 66 },
      { at: ms(last.createdAt) + 15 * MIN, status: 'at_risk', progress: 66 },
      { at: ms(lagging.createdAt) + 60 * MIN, status: 'missed', progress: 66 },
    ]);
    expect(await getGoal(lagging.id)).toMatchObject({
      status: 'missed',
      statusReason: '2 of 3 deliverables when the window closed',
    });
    // The paused goal: no verdict, no check time, nothing announced but the PATCHes.
    expect(await getGoal(paused.id)).toMatchObject({
      status: 'paused',
      statusReason: null,
      lastCheckedAt: null,
      progress: 0,
    });
    expect(updatesOf(paused.id).map((u) => u.status)).toEqual(['active', 'paused']);
    const m = await stats();
    expect(m.statusChanges).toEqual({ active: 0, at_risk: 1, achieved: 1, missed: 1, paused: 0 });
    expect(m.checks.failed).toBe(0);
  });

  it('a workspace whose goals are all paused costs a skipped check, backing off; resuming one checks it within 2 s', async () => {
    const app = await start();
    const ws = await f.workspace(owner);
    const goal = await f.goal(owner, ws.id);
    await clock.advance(2_000);
    expect((await getGoal(goal.id)).statusReason).not.toBeNull();
    const res = await app.api.patch(
      `/api/goals/${goal.id}`,
      { status: 'paused' },
      { token: owner.token },
    );
    expect(res.status).toBe(200);
    // Checked (skipped) 2 s after the PATCH, then after 2 minutes; the interval is 4 minutes now.
    await clock.advance(4 * MIN);
    const s = await mustSchedule(app.db, ws.id);
    const m = await stats();
    expect(m.checks).toEqual({ run: { event: 1, schedule: 0 }, skipped: 2, failed: 0 });
    expect(s.intervalMs).toBe(4 * MIN);
    const resumedAt = clock.now();
    await app.api.patch(`/api/goals/${goal.id}`, { status: 'active' }, { token: owner.token });
    await clock.advance(2_000);
    expect(await getGoal(goal.id)).toMatchObject({
      status: 'active',
      lastCheckedAt: new Date(resumedAt + 2_000).toISOString(),
    });
  });

  it('a check that fails is rolled back, counted, and tried again after the minimum interval', async () => {
    const app = await start();
    const ws = await f.workspace(owner);
    const goal = await f.goal(owner, ws.id, { targetDeliverables: 1 });
    const failsAt = clock.now() + 2_000;
    await app.db.query('ALTER TABLE thinking_processes RENAME TO thinking_processes_away');
    try {
      await clock.advance(2_000);
    } finally {
      await app.db.query('ALTER TABLE thinking_processes_away RENAME TO thinking_processes');
    }
    expect(await mustSchedule(app.db, ws.id)).toMatchObject({
      checks: 0,
      lastCheckedAt: null,
      requestedAt: failsAt - 2_000,
      nextCheckAt: failsAt + MIN,
    });
    expect(await getGoal(goal.id)).toMatchObject({ lastCheckedAt: null, statusReason: null });
    expect((await stats()).checks.failed).toBe(1);

    await clock.advance(MIN);
    expect(await mustSchedule(app.db, ws.id)).toMatchObject({
      checks: 1,
      lastCheckedAt: failsAt + MIN,
    });
    expect((await getGoal(goal.id)).statusReason).toBe('0 of 1 deliverables so far');
  });
});
