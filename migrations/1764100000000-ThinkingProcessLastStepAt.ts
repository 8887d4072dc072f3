import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * thinking_processes.last_step_at: the time stamp of the process's newest
 * step. Appends derive their steps' times from it under the process row's
 * lock, so concurrent appends to one process never interleave.
 */
export class ThinkingProcessLastStepAt1764100000000 implements MigrationInterface {
  name = 'ThinkingProcessLastStepAt1764100000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE "thinking_processes" ADD "last_step_at" timestamptz(3)`);
    await db.query(`
      UPDATE thinking_processes p
         SET last_step_at = s.last
        FROM (SELECT process_id, max(created_at) AS last FROM thinking_steps GROUP BY process_id) s
       WHERE s.process_id = p.id`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE "thinking_processes" DROP COLUMN "last_step_at"`);
  }
}
