import type { GoalMonitorStats, PerformanceMetrics } from '@orch/contracts';
import { expect } from 'vitest';
import type { ApiClient } from './api-client.js';
import type { SqlRunner } from './factories.js';

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

export async function monitorStats(api: ApiClient, token: string): Promise<GoalMonitorStats> {
  const res = await api.get<PerformanceMetrics>('/api/performance/metrics', { token });
  expect(res.status, res.text).toBe(200);
  return res.body.goalMonitor;
}
