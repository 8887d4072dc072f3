import type { QueryRunner } from 'typeorm';
import type { PlannedGoal } from '../planning/goals.js';
import { affected } from './statement.js';

export async function writeGoals(q: QueryRunner, goals: readonly PlannedGoal[]): Promise<number> {
  if (goals.length === 0) return 0;
  return affected(
    q,
    `INSERT INTO goals (id, workspace_id, title, description, status, progress, agent_ids,
                        target_deliverables, window_hours, last_checked_at, next_check_at,
                        created_at, updated_at)
     SELECT id, workspace_id, title, description, status::goal_status, progress, agent_ids::uuid[],
            target, window_hours, last_checked_at, next_check_at, created_at, updated_at
       FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::text[], $6::smallint[],
                   $7::text[], $8::int[], $9::int[], $10::timestamptz[], $11::timestamptz[],
                   $12::timestamptz[], $13::timestamptz[])
            AS t(id, workspace_id, title, description, status, progress, agent_ids, target,
                 window_hours, last_checked_at, next_check_at, created_at, updated_at)`,
    [
      goals.map((g) => g.id),
      goals.map((g) => g.workspaceId),
      goals.map((g) => g.title),
      goals.map((g) => g.description),
      goals.map((g) => g.status),
      goals.map((g) => g.progress),
      // One array literal per goal: unnest can't take an array of arrays of different lengths.
      goals.map((g) => `{${g.agentIds.join(',')}}`),
      goals.map((g) => g.targetDeliverables),
      goals.map((g) => g.windowHours),
      goals.map((g) => g.lastCheckedAt.toISOString()),
      goals.map((g) => g.nextCheckAt?.toISOString() ?? null),
      goals.map((g) => g.createdAt.toISOString()),
      goals.map((g) => g.updatedAt.toISOString()),
    ],
  );
}
