import type { QueryRunner } from 'typeorm';
import type { WorkspacePlan } from '../planning/workspaces.js';
import { affected } from './statement.js';

export function writeWorkspaces(q: QueryRunner, plan: WorkspacePlan): Promise<number> {
  const { workspaces } = plan;
  return affected(
    q,
    `INSERT INTO workspaces (id, name, description, owner_id, created_at, updated_at)
     SELECT id, name, description, $5::uuid, created_at, created_at
       FROM unnest($1::uuid[], $2::text[], $3::text[], $4::timestamptz[])
            AS t(id, name, description, created_at)`,
    [
      workspaces.map((w) => w.id),
      workspaces.map((w) => w.name),
      workspaces.map((w) => w.description),
      workspaces.map((w) => w.createdAt.toISOString()),
      plan.ownerId,
    ],
  );
}
