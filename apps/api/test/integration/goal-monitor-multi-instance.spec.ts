import type { GoalMonitorStats } from '@orch/contracts';
import { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { factory, type TestUser } from '../support/factories.js';
import { monitorStats } from '../support/goal-monitor.js';
import { lockTables, waitFor } from '../support/locks.js';
import { type ApiProcess, spawnApi } from '../support/spawn-api.js';

/**
 * Two built API processes (what `npm start` runs) on one database, both running the goal
 * monitor. Each workspace's check count is a column only a committed check increments, so
 * "exactly once" is a number per workspace. To see both instances inside a check at the same
 * moment, and to kill one in the middle of its check, the test holds a lock on the
 * deliverables table, which every check reads.
 */

const JWT_SECRET = 'goal-monitor-multi-instance-secret-32-chars';
const WORKSPACES = 40;

describe('the goal monitor across two API processes on one database', () => {
  let database: TestDatabase;
  let sql: Client;
  let a: ApiProcess;
  let b: ApiProcess;
  let owner: TestUser;

  const checkCounts = async (): Promise<number[]> =>
    (
      await sql.query<{ checks: number }>(`SELECT checks FROM goal_schedules ORDER BY workspace_id`)
    ).rows.map((r) => r.checks);
  const allChecked = (times: number) => async () => (await checkCounts()).every((n) => n >= times);
  const stats = (p: ApiProcess): Promise<GoalMonitorStats> => monitorStats(p.api, owner.token);
  const ran = (s: GoalMonitorStats) => s.checks.run.event + s.checks.run.schedule;
  /** Every workspace due now, as a clock reaching next_check_at would make them. */
  const makeAllDue = () => sql.query(`UPDATE goal_schedules SET next_check_at = now()`);

  beforeAll(async () => {
    database = await createTestDatabase();
    sql = new Client({ connectionString: database.url });
    await sql.connect();
    const env = {
      DATABASE_URL: database.url,
      JWT_SECRET,
      RATE_LIMIT_MULTIPLIER: '1000',
      DB_POOL_MAX: '5',
      // A check an hour after each one: in this test a check is due only when it says so.
      GOAL_MONITOR_MIN_INTERVAL_MS: '3600000',
      GOAL_MONITOR_MAX_INTERVAL_MS: '3600000',
      // A dead instance's checks are found within 200 ms.
      GOAL_MONITOR_POLL_MS: '200',
    };
    [a, b] = await Promise.all([spawnApi(env), spawnApi(env)]);
    owner = await factory(a.api).user();
    for (let i = 0; i < WORKSPACES; i++) {
      const f = factory((i % 2 === 0 ? a : b).api);
      const ws = await f.workspace(owner);
      await f.goal(owner, ws.id, { targetDeliverables: 5 });
    }
    // Each new goal's own check, on whichever instance got there first.
    await waitFor('every workspace’s first check', allChecked(1), 20_000);
  }, 120_000);

  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    await sql?.end();
    await database?.drop();
  });

  it('every due check runs exactly once, with both instances checking at the same time', async () => {
    expect(await checkCounts()).toEqual(Array.from({ length: WORKSPACES }, () => 1));
    const before = await Promise.all([stats(a), stats(b)]);
    const lock = await lockTables(database.url, 'deliverables');
    try {
      await makeAllDue();
      // Each instance claims one workspace (a different one: SKIP LOCKED) and waits inside it.
      await waitFor(
        'a check in progress on each instance',
        async () => (await lock.waiting()) >= 2,
      );
    } finally {
      await lock.release();
    }
    await waitFor('every workspace’s second check', allChecked(2), 20_000);
    // Whatever else either instance does now, nothing is checked a third time.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(await checkCounts()).toEqual(Array.from({ length: WORKSPACES }, () => 2));
    const after = await Promise.all([stats(a), stats(b)]);
    const byA = ran(after[0]) - ran(before[0]);
    const byB = ran(after[1]) - ran(before[1]);
    expect(byA + byB).toBe(WORKSPACES);
    expect(byA).toBeGreaterThan(0);
    expect(byB).toBeGreaterThan(0);
    expect(after[0].checks.failed + after[1].checks.failed).toBe(0);
  });

  it('an instance killed in the middle of a check: the other runs that check and all the rest, once each', async () => {
    const before = await stats(b);
    const lock = await lockTables(database.url, 'deliverables');
    try {
      await makeAllDue();
      await waitFor(
        'a check in progress on each instance',
        async () => (await lock.waiting()) >= 2,
      );
      process.kill(a.pid, 'SIGKILL');
      expect((await a.stop(5_000)).signal).toBe('SIGKILL');
    } finally {
      await lock.release();
    }
    // A's transaction dies with its connection: its claim is released, its check undone.
    await waitFor('every workspace’s third check', allChecked(3), 20_000);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(await checkCounts()).toEqual(Array.from({ length: WORKSPACES }, () => 3));
    const after = await stats(b);
    expect(ran(after) - ran(before)).toBe(WORKSPACES);

    // And from now on B alone keeps every schedule.
    await makeAllDue();
    await waitFor('every workspace’s fourth check', allChecked(4), 20_000);
    expect(await checkCounts()).toEqual(Array.from({ length: WORKSPACES }, () => 4));
    expect(ran(await stats(b)) - ran(after)).toBe(WORKSPACES);
  });
});
