import type { QueryRunner } from 'typeorm';
import type { PlannedAgent } from '../planning/workspaces.js';
import { affected } from './statement.js';

export function writeAgents(q: QueryRunner, agents: readonly PlannedAgent[]): Promise<number> {
  return affected(
    q,
    `INSERT INTO agents (id, workspace_id, name, role, model, status, created_at, updated_at)
     SELECT id, workspace_id, name, role, model, status::agent_status, created_at, updated_at
       FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::text[], $6::text[],
                   $7::timestamptz[], $8::timestamptz[])
            AS t(id, workspace_id, name, role, model, status, created_at, updated_at)`,
    [
      agents.map((a) => a.id),
      agents.map((a) => a.workspace.id),
      agents.map((a) => a.profile.name),
      agents.map((a) => a.profile.role),
      agents.map((a) => a.profile.model),
      agents.map((a) => a.status),
      agents.map((a) => a.createdAt.toISOString()),
      agents.map((a) => a.updatedAt.toISOString()),
    ],
  );
}
