import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The goal monitor (docs/goal-monitor.md): a short reason beside each goal's
 * status, and one schedule row per workspace with goals. A runner claims a due
 * row with SELECT ... FOR UPDATE SKIP LOCKED on next_check_at and holds the
 * row lock for the whole check, so each due check runs on one instance and a
 * crashed runner's claim ends with its connection. Rows are created when a
 * workspace gets its first goal (and, at start-up, for any workspace with
 * goals but no row), so this migration has nothing to backfill.
 */
export class GoalMonitor1764200000000 implements MigrationInterface {
  name = 'GoalMonitor1764200000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE "goals" ADD "status_reason" text`);
    await db.query(`
      CREATE TABLE "goal_schedules" (
        "workspace_id" uuid NOT NULL,
        "interval_ms" integer NOT NULL,
        "next_check_at" timestamptz(3) NOT NULL,
        "requested_at" timestamptz(3),
        "covered_until" timestamptz(3),
        "last_checked_at" timestamptz(3),
        "checks" integer NOT NULL DEFAULT 0,
        "watched_agent_ids" uuid array NOT NULL DEFAULT '{}',
        "down_agent_ids" uuid array NOT NULL DEFAULT '{}',
        "stalled" boolean NOT NULL DEFAULT false,
        CONSTRAINT "pk_goal_schedules" PRIMARY KEY ("workspace_id"),
        CONSTRAINT "fk_goal_schedules_workspace_id" FOREIGN KEY ("workspace_id")
          REFERENCES "workspaces" ("id") ON DELETE CASCADE ON UPDATE NO ACTION
      )`);
    await db.query(
      `CREATE INDEX "idx_goal_schedules_next_check_at" ON "goal_schedules" ("next_check_at")`,
    );
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE "goal_schedules"`);
    await db.query(`ALTER TABLE "goals" DROP COLUMN "status_reason"`);
  }
}
