import type { Agent, Goal, GoalMonitorStats, Workspace } from '@orch/contracts';
import { afterEach, describe, expect, it } from 'vitest';
import { QueryAccounting } from '../../src/infra/database/query-accounting.js';
import { DomainEvents } from '../../src/infra/events/domain-events.js';
import { CheckRunner } from '../../src/modules/goals/monitor/check-runner.js';
import type { ApiResponse } from '../support/api-client.js';
import { factory, type TestUser } from '../support/factories.js';
import { monitorStats, mustSchedule, scheduleOf } from '../support/goal-monitor.js';
import { ManualClock } from '../support/manual-clock.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/**
 * The goal monitor in the real app on a real PostgreSQL, with a clock the test
 * moves: hours of schedule run in seconds, and every time is exact. Each test
 * has its own app, database and clock, so its timeline starts at "now".
 */

const MIN = 60_000;
/** The defaults (1-60 min, 2 s event delay, 10 s cooldown); no idle look-ups to wade through. */
const MONITOR = { GOAL_MONITOR_ENABLED: 'true', GOAL_MONITOR_POLL_MS: '3600000' };
const ALL_BUT_BACKOFF = 'batching,workspace-cache,response-cache,display-cache';

const gapsInMinutes = (times: number[]) => times.slice(1).map((t, i) => (t - times[i]) / MIN);
const ms = (iso: string) => new Date(iso).getTime();

describe('the goal monitor, on a clock the test moves', () => {
  let t: TestApp | undefined;
  let clock: ManualClock;
  let f: ReturnType<typeof factory>;
  let owner: TestUser;
  /** Every goal.updated published, with the clock's time. */
  let updates: { at: number; goal: Goal }[];

  async function start(env: Record<string, string> = {}): Promise<TestApp> {
    clock = new ManualClock();
    const app = await startTestApp({ env: { ...MONITOR, ...env }, clock });
    t = app;
    f = factory(app.api);
    owner = await f.user();
    updates = [];
    app.app.get(DomainEvents).subscribe((event) => {
      if (event.type === 'goal.updated')
        updates.push({ at: clock.now(), goal: event.payload.goal });
    });
    await clock.advance(0); // the look for due checks at start-up
    return app;
  }

  afterEach(async () => {
    await t?.close();
    t = undefined;
  });

  const stats = (app: TestApp): Promise<GoalMonitorStats> => monitorStats(app.api, owner.token);
  const getGoal = async (app: TestApp, id: string): Promise<Goal> => {
    const res = await app.api.get<Goal>(`/api/goals/${id}`, { token: owner.token });
    expect(res.status, res.text).toBe(200);
    return res.body;
  };
  const updatesOf = (id: string) =>
    updates
      .filter((u) => u.goal.id === id)
      .map((u) => ({ at: u.at, status: u.goal.status, progress: u.goal.progress }));

  it('checks an idle workspace after 1, 2, 4, ... minutes up to the 60-minute maximum, and from 1 minute again after an event that changes a verdict', async () => {
    const app = await start();
    const ws = await f.workspace(owner);
    const agent = await f.agent(owner, ws.id);
    const createdAt = clock.now();
    const goal = await f.goal(owner, ws.id, {
      agentIds: [agent.id],
      targetDeliverables: 100,
      windowHours: 8760,
    });

    // The new goal asked for a check one event delay (2 s) later.
    let s = await mustSchedule(app.db, ws.id);
    expect(s).toMatchObject({ checks: 0, requestedAt: createdAt, nextCheckAt: createdAt + 2_000 });
    await clock.advance(2_000);
    s = await mustSchedule(app.db, ws.id);
    expect(s).toMatchObject({
      checks: 1,
      lastCheckedAt: createdAt + 2_000,
      requestedAt: null,
      intervalMs: MIN,
      nextCheckAt: createdAt + 2_000 + MIN,
    });

    const idle = [s.lastCheckedAt!];
    for (let i = 0; i < 9; i++) {
      await clock.advanceTo(s.nextCheckAt - 1);
      expect((await mustSchedule(app.db, ws.id)).checks, 'a check before it was due').toBe(
        s.checks,
      );
      await clock.advanceTo(s.nextCheckAt);
      s = await mustSchedule(app.db, ws.id);
      idle.push(s.lastCheckedAt!);
    }
    expect(gapsInMinutes(idle)).toEqual([1, 2, 4, 8, 16, 32, 60, 60, 60]);
    expect(s).toMatchObject({ checks: 10, intervalMs: 60 * MIN });

    // Ten minutes into a 60-minute interval the agent delivers: checked 2 s later; the
    // progress changed, so from that check on the intervals start again at 1 minute.
    await clock.advance(10 * MIN);
    const eventAt = clock.now();
    const delivered = await f.deliverable(owner, ws.id, { agentId: agent.id });
    s = await mustSchedule(app.db, ws.id);
    expect(s).toMatchObject({ checks: 10, requestedAt: eventAt, nextCheckAt: eventAt + 2_000 });
    await clock.advance(2_000);
    s = await mustSchedule(app.db, ws.id);
    expect(s).toMatchObject({ checks: 11, lastCheckedAt: eventAt + 2_000, intervalMs: MIN });
    // Just checked because of an event: not polled again until its interval has passed,
    // and the check that was planned 50 minutes on is gone.
    const afterEvent = [s.lastCheckedAt!];
    for (let i = 0; i < 3; i++) {
      await clock.advanceTo(s.nextCheckAt - 1);
      expect((await mustSchedule(app.db, ws.id)).checks).toBe(s.checks);
      await clock.advanceTo(s.nextCheckAt);
      s = await mustSchedule(app.db, ws.id);
      afterEvent.push(s.lastCheckedAt!);
    }
    expect(gapsInMinutes(afterEvent)).toEqual([1, 2, 4]);
    expect(s).toMatchObject({ checks: 14, intervalMs: 8 * MIN });

    // An edit is checked within seconds too, but changes no verdict: the interval doubles.
    await clock.advance(MIN);
    const editAt = clock.now();
    const edit = await app.api.patch(
      `/api/deliverables/${delivered.id}`,
      { title: 'Renamed' },
      { token: owner.token },
    );
    expect(edit.status, edit.text).toBe(200);
    await clock.advance(2_000);
    s = await mustSchedule(app.db, ws.id);
    expect(s).toMatchObject({
      checks: 15,
      lastCheckedAt: editAt + 2_000,
      intervalMs: 16 * MIN,
      nextCheckAt: editAt + 2_000 + 16 * MIN,
    });

    // The goal carries the same times; its verdict changed at the first check and the delivery.
    expect(await getGoal(app, goal.id)).toMatchObject({
      status: 'active',
      progress: 1,
      statusReason: '1 of 100 deliverables so far',
      lastCheckedAt: new Date(s.lastCheckedAt!).toISOString(),
      nextCheckAt: new Date(s.nextCheckAt).toISOString(),
    });
    expect(updatesOf(goal.id)).toEqual([
      { at: createdAt, status: 'active', progress: 0 }, // the POST's own announcement
      { at: createdAt + 2_000, status: 'active', progress: 0 }, // the first verdict, with its reason
      { at: eventAt + 2_000, status: 'active', progress: 1 },
    ]);

    const m = await stats(app);
    expect(m.enabled).toBe(true);
    expect(m.mode).toBe('backoff');
    expect(m.checks).toEqual({ run: { event: 3, schedule: 12 }, skipped: 0, failed: 0 });
    // The agent's creation came before the workspace had goals: nothing to judge it against.
    expect(m.events).toEqual({ received: 3, coalesced: 0, ignored: 1, requested: 2 });
    expect(m.eventToCheckSeconds).toEqual({ count: 3, sum: 6, max: 2 });
    expect(m.intervals).toEqual([{ intervalSeconds: 960, workspaces: 1 }]);
    expect(m.statusChanges).toEqual({ active: 0, at_risk: 0, achieved: 0, missed: 0, paused: 0 });
  });

  it('a burst of 100 events in one workspace is one check, which sees all of them; the next waits for the cooldown', async () => {
    const app = await start();
    const ws = await f.workspace(owner);
    const [a, b] = [await f.agent(owner, ws.id), await f.agent(owner, ws.id)];
    const goal = await f.goal(owner, ws.id, {
      agentIds: [a.id, b.id],
      targetDeliverables: 200,
      windowHours: 24,
    });
    const process = await f.process(owner, ws.id, a.id);
    await clock.advance(2_000); // the goal's first check
    await clock.advance(40_000); // quiet for longer than the 10 s cooldown
    const before = await mustSchedule(app.db, ws.id);
    const statsBefore = await stats(app);
    expect(before.checks).toBe(1);

    // 100 writes through the API while the clock stands still: 60 deliverables,
    // 20 edits, 10 thinking steps, 10 status changes.
    const burstAt = clock.now();
    const made = [];
    for (let i = 0; i < 60; i++) made.push(await f.deliverable(owner, ws.id, { agentId: a.id }));
    for (let i = 0; i < 20; i++) {
      const res = await app.api.patch(
        `/api/deliverables/${made[i].id}`,
        { content: `${made[i].title}, revised` },
        { token: owner.token },
      );
      expect(res.status, res.text).toBe(200);
    }
    for (let i = 0; i < 10; i++) await f.step(owner, process.id);
    for (let i = 0; i < 10; i++) {
      const res = await app.api.patch<Agent>(
        `/api/agents/${b.id}`,
        { status: ['busy', 'idle'][i % 2] },
        { token: owner.token },
      );
      expect(res.status, res.text).toBe(200);
    }

    let s = await mustSchedule(app.db, ws.id);
    expect(s).toMatchObject({ checks: 1, requestedAt: burstAt, nextCheckAt: burstAt + 2_000 });
    const during = await stats(app);
    expect({
      received: during.events.received - statsBefore.events.received,
      requested: during.events.requested - statsBefore.events.requested,
      coalesced: during.events.coalesced - statsBefore.events.coalesced,
      ignored: during.events.ignored - statsBefore.events.ignored,
    }).toEqual({ received: 100, requested: 1, coalesced: 99, ignored: 0 });

    await clock.advance(2_000);
    s = await mustSchedule(app.db, ws.id);
    expect(s).toMatchObject({ checks: 2, lastCheckedAt: burstAt + 2_000, intervalMs: MIN });
    expect(await getGoal(app, goal.id)).toMatchObject({
      status: 'active',
      progress: 30,
      statusReason: '60 of 200 deliverables so far',
    });
    const after = await stats(app);
    expect(after.checks.run.event - statsBefore.checks.run.event).toBe(1);
    expect(after.checks.run.schedule - statsBefore.checks.run.schedule).toBe(0);

    // Three seconds after that check another deliverable: checked at the end of the cooldown,
    // 10 s after the previous check, not 2 s after the event.
    await clock.advance(3_000);
    await f.deliverable(owner, ws.id, { agentId: a.id });
    s = await mustSchedule(app.db, ws.id);
    expect(s.nextCheckAt).toBe(burstAt + 2_000 + 10_000);
    await clock.advanceTo(s.nextCheckAt - 1);
    expect((await mustSchedule(app.db, ws.id)).checks).toBe(2);
    await clock.advanceTo(s.nextCheckAt);
    expect(await mustSchedule(app.db, ws.id)).toMatchObject({ checks: 3 });
    expect((await getGoal(app, goal.id)).statusReason).toBe('61 of 200 deliverables so far');
  });

  it('a check brought forward by another instance does not swallow the events this one let through: another follows at the promised time', async () => {
    const app = await start();
    const ws = await f.workspace(owner);
    const agent = await f.agent(owner, ws.id);
    const goal = await f.goal(owner, ws.id, {
      agentIds: [agent.id],
      targetDeliverables: 10,
      windowHours: 8760,
    });
    await clock.advance(2_000);
    const firstCheck = clock.now();

    // 3 s after that check a deliverable: due at the end of the cooldown, 10 s after the check.
    await clock.advance(3_000);
    await f.deliverable(owner, ws.id, { agentId: agent.id });
    expect((await mustSchedule(app.db, ws.id)).nextCheckAt).toBe(firstCheck + 10_000);
    // Another instance's goal edit asks for a check at +6 s (this is what its request does to the
    // row), and that instance's runner comes for it (here: this one's, woken as that one would be).
    await app.db.query(`UPDATE goal_schedules SET next_check_at = $2 WHERE workspace_id = $1`, [
      ws.id,
      new Date(firstCheck + 6_000),
    ]);
    app.app.get(CheckRunner).wake(firstCheck + 6_000);
    await clock.advanceTo(firstCheck + 6_000);
    expect((await mustSchedule(app.db, ws.id)).lastCheckedAt).toBe(firstCheck + 6_000);
    expect((await getGoal(app, goal.id)).statusReason).toBe('1 of 10 deliverables so far');

    // At +7 s this instance still counts on its check at +10 s: the next deliverable costs no write.
    await clock.advance(1_000);
    await f.deliverable(owner, ws.id, { agentId: agent.id });
    expect(await mustSchedule(app.db, ws.id)).toMatchObject({
      checks: 2,
      nextCheckAt: firstCheck + 10_000,
      requestedAt: firstCheck + 10_000,
    });
    expect((await stats(app)).events.coalesced).toBe(1);
    // The check at +6 s left that promise in the row: it runs at +10 s and counts the deliverable.
    await clock.advanceTo(firstCheck + 10_000);
    expect(await mustSchedule(app.db, ws.id)).toMatchObject({
      checks: 3,
      lastCheckedAt: firstCheck + 10_000,
      requestedAt: null,
    });
    expect((await getGoal(app, goal.id)).statusReason).toBe('2 of 10 deliverables so far');
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
    expect((await getGoal(app, shipped.id)).statusReason).toBe(
      '2 of 2 deliverables within the window',
    );
    // Active at 2 of 3; at risk exactly a quarter window (15 min) after the last activity;
    // missed exactly when its hour is up. The monitor woke for both moments.
    expect(updatesOf(lagging.id).slice(1)).toEqual([
      { at: firstCheckAt, status: 'active', progress: 66 },
      { at: ms(last.createdAt) + 15 * MIN, status: 'at_risk', progress: 66 },
      { at: ms(lagging.createdAt) + 60 * MIN, status: 'missed', progress: 66 },
    ]);
    expect(await getGoal(app, lagging.id)).toMatchObject({
      status: 'missed',
      statusReason: '2 of 3 deliverables when the window closed',
    });
    // The paused goal: no verdict, no check time, nothing announced but the PATCHes.
    expect(await getGoal(app, paused.id)).toMatchObject({
      status: 'paused',
      statusReason: null,
      lastCheckedAt: null,
      progress: 0,
    });
    expect(updatesOf(paused.id).map((u) => u.status)).toEqual(['active', 'paused']);
    const m = await stats(app);
    expect(m.statusChanges).toEqual({ active: 0, at_risk: 1, achieved: 1, missed: 1, paused: 0 });
    expect(m.checks.failed).toBe(0);
  });

  it('a workspace whose goals are all paused costs a skipped check, backing off; resuming one checks it within 2 s', async () => {
    const app = await start();
    const ws = await f.workspace(owner);
    const goal = await f.goal(owner, ws.id);
    await clock.advance(2_000);
    expect((await getGoal(app, goal.id)).statusReason).not.toBeNull();
    const res = await app.api.patch(
      `/api/goals/${goal.id}`,
      { status: 'paused' },
      { token: owner.token },
    );
    expect(res.status).toBe(200);
    // Checked (skipped) 2 s after the PATCH, then after 2 minutes; the interval is 4 minutes now.
    await clock.advance(4 * MIN);
    const s = await mustSchedule(app.db, ws.id);
    const m = await stats(app);
    expect(m.checks).toEqual({ run: { event: 1, schedule: 0 }, skipped: 2, failed: 0 });
    expect(s.intervalMs).toBe(4 * MIN);
    const resumedAt = clock.now();
    await app.api.patch(`/api/goals/${goal.id}`, { status: 'active' }, { token: owner.token });
    await clock.advance(2_000);
    expect(await getGoal(app, goal.id)).toMatchObject({
      status: 'active',
      lastCheckedAt: new Date(resumedAt + 2_000).toISOString(),
    });
  });

  it('costs exact round trips: a look 1, a check 6 more (7 when a verdict changed), a request 1, a covered event 0', async () => {
    const app = await start({ GOAL_MONITOR_POLL_MS: '60000' });
    const queries = () => app.app.get(QueryAccounting).metrics().queries;
    const headerCount = (res: ApiResponse<unknown>) => Number(res.headers.get('x-db-queries'));
    const ws = await f.workspace(owner);
    const agent = await f.agent(owner, ws.id);
    await f.goal(owner, ws.id, { agentIds: [agent.id], targetDeliverables: 10, windowHours: 8760 });

    // The first verdict: look, BEGIN, claim, facts, verdicts, schedule, COMMIT, re-read
    // the changed goal for goal.updated, look again.
    let before = queries();
    await clock.advance(2_000);
    expect(queries() - before).toBe(9);
    // A minute later nothing has changed: no re-read.
    before = queries();
    await clock.advance(MIN);
    expect(queries() - before).toBe(8);
    // An idle look (the 60 s poll, nothing due).
    before = queries();
    await clock.advance(MIN);
    expect(queries() - before).toBe(1);
    expect((await mustSchedule(app.db, ws.id)).checks).toBe(2);

    // Events: the first deliverable asks for a check, one UPDATE inside the POST (and one
    // round trip more in its X-DB-Queries); the next one before that check is covered: none.
    const requests = () =>
      app.app
        .get(QueryAccounting)
        .statements.slowest(500)
        .filter((st) => st.sql.startsWith('WITH requested AS ( UPDATE goal_schedules'))
        .reduce((sum, st) => sum + st.count, 0);
    const post = () =>
      app.api.post(
        `/api/workspaces/${ws.id}/deliverables`,
        { title: 'Brief', content: '# Brief', agentId: agent.id },
        { token: owner.token },
      );
    let sent = requests();
    const first = await post();
    expect(requests() - sent).toBe(1);
    sent = requests();
    const second = await post();
    expect(requests() - sent).toBe(0);
    expect([first.status, second.status]).toEqual([201, 201]);
    expect(headerCount(first) - headerCount(second)).toBe(1);
    // Once that check has run, a thinking step (no goal is stalled) costs its UPDATE, which
    // matches no row: no check.
    await clock.advance(10_000);
    const process = await f.process(owner, ws.id, agent.id);
    const checksBefore = (await mustSchedule(app.db, ws.id)).checks;
    sent = requests();
    await f.step(owner, process.id);
    expect(requests() - sent).toBe(1);
    await clock.advance(MIN);
    const m = await stats(app);
    expect(m.events).toEqual({ received: 4, coalesced: 1, ignored: 2, requested: 1 });
    expect((await mustSchedule(app.db, ws.id)).checks).toBe(checksBefore + 1); // the backoff's, not the step's
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
    expect(await getGoal(app, goal.id)).toMatchObject({ lastCheckedAt: null, statusReason: null });
    expect((await stats(app)).checks.failed).toBe(1);

    await clock.advance(MIN);
    expect(await mustSchedule(app.db, ws.id)).toMatchObject({
      checks: 1,
      lastCheckedAt: failsAt + MIN,
    });
    expect((await getGoal(app, goal.id)).statusReason).toBe('0 of 1 deliverables so far');
  });

  it('with goal-monitor-backoff off: every workspace, goals or not, every 20 minutes; events ignored', async () => {
    const app = await start({ OPTIMIZATIONS: ALL_BUT_BACKOFF, GOAL_MONITOR_POLL_MS: '10000' });
    const bootAt = clock.now();
    const withGoals: Workspace = await f.workspace(owner);
    const agent = await f.agent(owner, withGoals.id);
    const goal = await f.goal(owner, withGoals.id, { agentIds: [agent.id], targetDeliverables: 2 });
    const without = await f.workspace(owner);
    expect(await scheduleOf(app.db, withGoals.id), 'no row before the next cycle').toBeUndefined();

    // The next look (10 s after start) gives both workspaces a row, due at once.
    await clock.advanceTo(bootAt + 10_000);
    for (const ws of [withGoals, without]) {
      expect(await mustSchedule(app.db, ws.id)).toMatchObject({
        checks: 1,
        lastCheckedAt: bootAt + 10_000,
        intervalMs: 20 * MIN,
        nextCheckAt: bootAt + 10_000 + 20 * MIN,
      });
    }
    // A deliverable that completes the goal... is seen at the next cycle, not before.
    await f.deliverable(owner, withGoals.id, { agentId: agent.id });
    await f.deliverable(owner, withGoals.id, { agentId: agent.id });
    await clock.advance(19 * MIN);
    expect((await getGoal(app, goal.id)).status).toBe('active');
    await clock.advanceTo(bootAt + 10_000 + 60 * MIN);
    expect((await getGoal(app, goal.id)).status).toBe('achieved');
    for (const ws of [withGoals, without]) {
      expect((await mustSchedule(app.db, ws.id)).checks).toBe(4);
    }
    const m = await stats(app);
    expect(m.mode).toBe('fixed');
    expect(m.checks).toEqual({ run: { event: 0, schedule: 4 }, skipped: 4, failed: 0 });
    expect(m.events).toEqual({ received: 0, coalesced: 0, ignored: 0, requested: 0 });
    expect(m.intervals).toEqual([{ intervalSeconds: 1200, workspaces: 2 }]);
  });
});
