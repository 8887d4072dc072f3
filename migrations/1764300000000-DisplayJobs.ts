import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The display-content queue (docs/display-content.md): one job per deliverable
 * whose display content must be (re)made. A worker leases due jobs with
 * SELECT ... FOR UPDATE SKIP LOCKED inside a one-statement UPDATE that sets
 * claimed_until, and releases the row lock at once: the provider call (seconds)
 * runs with no transaction or connection held, and a crashed worker's lease
 * simply runs out. Jobs are written by the API (on writes, and for a
 * deliverable a read finds without current display content), so this
 * migration has nothing to backfill.
 */
export class DisplayJobs1764300000000 implements MigrationInterface {
  name = 'DisplayJobs1764300000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE "display_jobs" (
        "deliverable_id" uuid NOT NULL,
        "workspace_id" uuid NOT NULL,
        "content_hash" character(64) NOT NULL,
        "force" boolean NOT NULL DEFAULT false,
        "enqueued_at" timestamptz(3) NOT NULL DEFAULT now(),
        "run_after" timestamptz(3) NOT NULL DEFAULT now(),
        "attempts" integer NOT NULL DEFAULT 0,
        "claimed_until" timestamptz(3),
        "claim_token" uuid,
        "blocked_by" text,
        "last_error" text,
        CONSTRAINT "pk_display_jobs" PRIMARY KEY ("deliverable_id"),
        CONSTRAINT "fk_display_jobs_deliverable_id" FOREIGN KEY ("deliverable_id")
          REFERENCES "deliverables" ("id") ON DELETE CASCADE ON UPDATE NO ACTION,
        CONSTRAINT "fk_display_jobs_workspace_id" FOREIGN KEY ("workspace_id")
          REFERENCES "workspaces" ("id") ON DELETE CASCADE ON UPDATE NO ACTION
      )`);
    await db.query(`CREATE INDEX "idx_display_jobs_run_after" ON "display_jobs" ("run_after")`);
    await db.query(
      `CREATE INDEX "idx_display_jobs_workspace_id" ON "display_jobs" ("workspace_id")`,
    );
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE "display_jobs"`);
  }
}
