import type { QueryRunner } from 'typeorm';
import type { ThinkingPlan } from '../planning/thinking.js';
import { affected } from './statement.js';
import { buildInsertSteps, buildProcessTable, INSERT_PROCESSES } from './thinking-sql.js';

/**
 * The processes, generated in Postgres into the temporary `seed_processes`
 * (dropped at commit), then inserted. Call it before writeThinkingSteps, in
 * the same transaction: the steps are generated from that table.
 */
export async function writeThinkingProcesses(q: QueryRunner, plan: ThinkingPlan): Promise<number> {
  if (plan.processesPerWorkspace === 0) return 0;
  const table = buildProcessTable(plan);
  await q.query(table.sql, table.params);
  return affected(q, INSERT_PROCESSES, []);
}

/** Every step of every process in `seed_processes`; then each process's last_step_at. */
export async function writeThinkingSteps(q: QueryRunner, plan: ThinkingPlan): Promise<number> {
  if (plan.processesPerWorkspace === 0 || plan.stepsPerProcess === 0) return 0;
  const steps = buildInsertSteps();
  const inserted = await affected(q, steps.sql, steps.params);
  // Appends continue after each process's newest step (thinking.repository appendSteps).
  await q.query(
    `UPDATE thinking_processes p SET last_step_at = s.last
       FROM (SELECT t.process_id, max(t.created_at) AS last FROM thinking_steps t
              WHERE t.process_id IN (SELECT id FROM seed_processes) GROUP BY t.process_id) s
      WHERE p.id = s.process_id`,
  );
  return inserted;
}
