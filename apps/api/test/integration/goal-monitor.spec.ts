import type { Agent, Workspace } from '@orch/contracts';
import { afterEach, describe, expect, it } from 'vitest';
import { QueryAccounting } from '../../src/infra/database/query-accounting.js';
import { CheckRunner } from '../../src/modules/goals/monitor/check-runner.js';
import type { ApiResponse } from '../support/api-client.js';
import type { TestUser } from '../support/factories.js';
import {
  type MonitorApp,
  mustSchedule,
  scheduleOf,
  startMonitorApp,
} from '../support/goal-monitor.js';
import type { ManualClock } from '../support/manual-clock.js';
import type { TestApp } from '../support/test-app.js';

/**
 * When the goal monitor checks, in the real app on a real PostgreSQL with a clock the test
 * moves: hours of schedule run in seconds, every time exact. Each test has its own app,
 * database and clock, so its timeline starts at "now". The verdicts themselves:
 * goal-monitor-verdicts.spec.ts.
 */

const MIN = 60_000;
const ALL_BUT_BACKOFF = 'batching,workspace-cache,response-cache,display-cache';
const gapsInMinutes = (times: number[]) => times.slice(1).map((t, i) => (t - times[i]) / MIN);

describe('the goal monitor’s schedule, on a clock the test moves', () => {
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
    expect(await getGoal(goal.id)).toMatchObject({
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

    const m = await stats();
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
    const statsBefore = await stats();
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
    const during = await stats();
    expect({
      received: during.events.received - statsBefore.events.received,
      requested: during.events.requested - statsBefore.events.requested,
      coalesced: during.events.coalesced - statsBefore.events.coalesced,
      ignored: during.events.ignored - statsBefore.events.ignored,
    }).toEqual({ received: 100, requested: 1, coalesced: 99, ignored: 0 });

    await clock.advance(2_000);
    s = await mustSchedule(app.db, ws.id);
    expect(s).toMatchObject({ checks: 2, lastCheckedAt: burstAt + 2_000, intervalMs: MIN });
    expect(await getGoal(goal.id)).toMatchObject({
      status: 'active',
      progress: 30,
      statusReason: '60 of 200 deliverables so far',
    });
    const after = await stats();
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
    expect((await getGoal(goal.id)).statusReason).toBe('61 of 200 deliverables so far');
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
    expect((await getGoal(goal.id)).statusReason).toBe('1 of 10 deliverables so far');

    // At +7 s this instance still counts on its check at +10 s: the next deliverable costs no write.
    await clock.advance(1_000);
    await f.deliverable(owner, ws.id, { agentId: agent.id });
    expect(await mustSchedule(app.db, ws.id)).toMatchObject({
      checks: 2,
      nextCheckAt: firstCheck + 10_000,
      requestedAt: firstCheck + 10_000,
    });
    expect((await stats()).events.coalesced).toBe(1);
    // The check at +6 s left that promise in the row: it runs at +10 s and counts the deliverable.
    await clock.advanceTo(firstCheck + 10_000);
    expect(await mustSchedule(app.db, ws.id)).toMatchObject({
      checks: 3,
      lastCheckedAt: firstCheck + 10_000,
      requestedAt: null,
    });
    expect((await getGoal(goal.id)).statusReason).toBe('2 of 10 deliverables so far');
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
    const m = await stats();
    expect(m.events).toEqual({ received: 4, coalesced: 1, ignored: 2, requested: 1 });
    expect((await mustSchedule(app.db, ws.id)).checks).toBe(checksBefore + 1); // the backoff's, not the step's
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
    expect((await getGoal(goal.id)).status).toBe('active');
    await clock.advanceTo(bootAt + 10_000 + 60 * MIN);
    expect((await getGoal(goal.id)).status).toBe('achieved');
    for (const ws of [withGoals, without]) {
      expect((await mustSchedule(app.db, ws.id)).checks).toBe(4);
    }
    const m = await stats();
    expect(m.mode).toBe('fixed');
    expect(m.checks).toEqual({ run: { event: 0, schedule: 4 }, skipped: 4, failed: 0 });
    expect(m.events).toEqual({ received: 0, coalesced: 0, ignored: 0, requested: 0 });
    expect(m.intervals).toEqual([{ intervalSeconds: 1200, workspaces: 2 }]);
  });
});
