import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * - deliverables.display_claim_expires_at: a row claim, so that of several API
 *   instances reading one stale deliverable only one calls the AI provider.
 * - ai_usage: AI calls per workspace per day, which the quota reads.
 */
export class DisplayContentClaimsAndAiUsage1763900000000 implements MigrationInterface {
  name = 'DisplayContentClaimsAndAiUsage1763900000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE "deliverables" ADD "display_claim_expires_at" timestamptz(3)`);
    await db.query(`
      CREATE TABLE "ai_usage" (
        "workspace_id" uuid NOT NULL,
        "day" date NOT NULL,
        "calls" integer NOT NULL DEFAULT 0,
        "updated_at" timestamptz(3) NOT NULL DEFAULT now(),
        CONSTRAINT "pk_ai_usage" PRIMARY KEY ("workspace_id", "day"),
        CONSTRAINT "fk_ai_usage_workspace_id" FOREIGN KEY ("workspace_id")
          REFERENCES "workspaces" ("id") ON DELETE CASCADE ON UPDATE NO ACTION
      )`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE "ai_usage"`);
    await db.query(`ALTER TABLE "deliverables" DROP COLUMN "display_claim_expires_at"`);
  }
}
