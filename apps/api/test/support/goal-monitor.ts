import type { Goal, GoalMonitorStats, PerformanceMetrics } from '@orch/contracts';
import { expect } from 'vitest';
import { DomainEvents } from '../../src/infra/events/domain-events.js';
import type { ApiClient } from './api-client.js';
import { factory, type SqlRunner } from './factories.js';
import { ManualClock } from './manual-clock.js';
import { startTestApp } from './test-app.js';
import { operatorToken } from './operator.js';

/** A workspace's goal_schedules row, times as ms since the epoch. */
export interface Schedule {
  intervalMs: number;
  nextCheckAt: number;
  lastCheckedAt: number | null;
  requestedAt: number | null;
  checks: number;
  watchedAgentIds: string[];
  downAgentIds: string[];
  stalled: boolean;
}

export async function scheduleOf(
  db: SqlRunner,
  workspaceId: string,
): Promise<Schedule | undefined> {
  const rows = await db.query<
    {
      interval_ms: number;
      next_check_at: Date;
      last_checked_at: Date | null;
      requested_at: Date | null;
      checks: number;
      watched_agent_ids: string[];
      down_agent_ids: string[];
      stalled: boolean;
    }[]
  >(
    `SELECT interval_ms, next_check_at, last_checked_at, requested_at, checks,
            watched_agent_ids, down_agent_ids, stalled
       FROM goal_schedules WHERE workspace_id = $1`,
    [workspaceId],
  );
  const r = rows[0];
  if (!r) return undefined;
  return {
    intervalMs: r.interval_ms,
    nextCheckAt: r.next_check_at.getTime(),
    lastCheckedAt: r.last_checked_at?.getTime() ?? null,
    requestedAt: r.requested_at?.getTime() ?? null,
    checks: r.checks,
    watchedAgentIds: r.watched_agent_ids,
    downAgentIds: r.down_agent_ids,
    stalled: r.stalled,
  };
}

/** The schedule row, which must exist. */
export async function mustSchedule(db: SqlRunner, workspaceId: string): Promise<Schedule> {
  const schedule = await scheduleOf(db, workspaceId);
  expect(schedule, `goal_schedules row of ${workspaceId}`).toBeDefined();
  return schedule!;
}

/** `_token` is the caller's; the figures are read as the operator (instance-wide figures). */
export async function monitorStats(api: ApiClient, _token: string): Promise<GoalMonitorStats> {
  const res = await api.get<PerformanceMetrics>('/api/performance/metrics', {
    token: await operatorToken(api),
  });
  expect(res.status, res.text).toBe(200);
  return res.body.goalMonitor;
}

/** Every goal.updated published, with the clock's time. */
export interface GoalUpdate {
  at: number;
  goal: Goal;
}

/**
 * The real app (startTestApp) with the goal monitor on and a clock the test moves, a user,
 * and every goal.updated recorded: the setting of the monitor specs. The defaults (1-60 min,
 * 2 s event delay, 10 s cooldown); no idle look-ups to wade through unless `env` says so, and
 * no display queue.
 */
export async function startMonitorApp(env: Record<string, string> = {}) {
  const clock = new ManualClock();
  const app = await startTestApp({
    env: {
      GOAL_MONITOR_ENABLED: 'true',
      GOAL_MONITOR_POLL_MS: '3600000',
      // The display queue's worker polls on real time and its round trips would join the
      // monitor's exact counts; these specs are about the monitor alone.
      OPTIMIZATIONS: '-display-queue',
      ...env,
    },
    clock,
  });
  const f = factory(app.api);
  const owner = await f.user();
  const updates: GoalUpdate[] = [];
  app.app.get(DomainEvents).subscribe((event) => {
    if (event.type === 'goal.updated') updates.push({ at: clock.now(), goal: event.payload.goal });
  });
  await clock.advance(0); // the look for due checks at start-up
  return {
    app,
    clock,
    f,
    owner,
    stats: (): Promise<GoalMonitorStats> => monitorStats(app.api, owner.token),
    async getGoal(id: string): Promise<Goal> {
      const res = await app.api.get<Goal>(`/api/goals/${id}`, { token: owner.token });
      expect(res.status, res.text).toBe(200);
      return res.body;
    },
    /** The goal's announcements: when, and with which status and progress. */
    updatesOf: (id: string) =>
      updates
        .filter((u) => u.goal.id === id)
        .map((u) => ({ at: u.at, status: u.goal.status, progress: u.goal.progress })),
  };
}

export type MonitorApp = Awaited<ReturnType<typeof startMonitorApp>>;
