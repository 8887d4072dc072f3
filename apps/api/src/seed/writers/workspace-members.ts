import type { QueryRunner } from 'typeorm';
import type { WorkspacePlan } from '../planning/workspaces.js';
import { affected } from './statement.js';

/** The plan's owner, as the owner member of every workspace. */
export function writeWorkspaceMembers(q: QueryRunner, plan: WorkspacePlan): Promise<number> {
  const { workspaces } = plan;
  return affected(
    q,
    `INSERT INTO workspace_members (workspace_id, user_id, role, created_at)
     SELECT id, $2::uuid, 'owner', created_at
       FROM unnest($1::uuid[], $3::timestamptz[]) AS t(id, created_at)`,
    [workspaces.map((w) => w.id), plan.ownerId, workspaces.map((w) => w.createdAt.toISOString())],
  );
}
