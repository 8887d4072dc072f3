import type { QueryRunner } from 'typeorm';
import type { PlannedDeliverable } from '../planning/deliverables.js';
import { affected } from './statement.js';

/** Rows per statement: a large seed's bodies would make one statement's parameters huge. */
const DELIVERABLE_BATCH = 500;

/** Takes the planned deliverables as they come, in batches; content_hash is computed in SQL. */
export async function writeDeliverables(
  q: QueryRunner,
  deliverables: Iterable<PlannedDeliverable>,
): Promise<number> {
  let total = 0;
  let batch: PlannedDeliverable[] = [];
  for (const deliverable of deliverables) {
    batch.push(deliverable);
    if (batch.length >= DELIVERABLE_BATCH) {
      total += await insertBatch(q, batch);
      batch = [];
    }
  }
  if (batch.length > 0) total += await insertBatch(q, batch);
  return total;
}

function insertBatch(q: QueryRunner, batch: readonly PlannedDeliverable[]): Promise<number> {
  return affected(
    q,
    `INSERT INTO deliverables
            (id, workspace_id, agent_id, title, content, content_hash, created_at, updated_at)
     SELECT id, workspace_id, agent_id, title, content,
            encode(sha256(convert_to(content, 'UTF8')), 'hex'), created_at, updated_at
       FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::text[], $5::text[],
                   $6::timestamptz[], $7::timestamptz[])
            AS t(id, workspace_id, agent_id, title, content, created_at, updated_at)`,
    [
      batch.map((d) => d.id),
      batch.map((d) => d.workspaceId),
      batch.map((d) => d.agentId),
      batch.map((d) => d.title),
      batch.map((d) => d.content),
      batch.map((d) => d.createdAt.toISOString()),
      batch.map((d) => d.updatedAt.toISOString()),
    ],
  );
}
