import type { MigrationInterface, QueryRunner } from 'typeorm';

/** When a workspace's daily AI usage passed 80% and 100% of its quota: once per threshold per day. */
export class QuotaNotifications1764000000000 implements MigrationInterface {
  name = 'QuotaNotifications1764000000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE "quota_notifications" (
        "workspace_id" uuid NOT NULL,
        "day" date NOT NULL,
        "threshold" smallint NOT NULL,
        "used" integer NOT NULL,
        "quota" integer NOT NULL,
        "created_at" timestamptz(3) NOT NULL DEFAULT now(),
        CONSTRAINT "pk_quota_notifications" PRIMARY KEY ("workspace_id", "day", "threshold"),
        CONSTRAINT "fk_quota_notifications_workspace_id" FOREIGN KEY ("workspace_id")
          REFERENCES "workspaces" ("id") ON DELETE CASCADE ON UPDATE NO ACTION
      )`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE "quota_notifications"`);
  }
}
