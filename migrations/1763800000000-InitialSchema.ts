import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The domain model. Every index serves a query the API runs (see docs/queries.md);
 * composite indexes lead with the filter column and end with the sort keys, so
 * keyset pages are index range scans.
 */
export class InitialSchema1763800000000 implements MigrationInterface {
  name = 'InitialSchema1763800000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`CREATE TYPE "workspace_role" AS ENUM ('owner', 'member')`);
    await db.query(
      `CREATE TYPE "agent_status" AS ENUM ('active', 'idle', 'busy', 'error', 'offline', 'terminated')`,
    );
    await db.query(
      `CREATE TYPE "thinking_process_status" AS ENUM ('running', 'completed', 'failed')`,
    );
    await db.query(
      `CREATE TYPE "thinking_step_kind" AS ENUM ('observation', 'reasoning', 'decision', 'action', 'result')`,
    );
    await db.query(
      `CREATE TYPE "goal_status" AS ENUM ('active', 'at_risk', 'achieved', 'missed', 'paused')`,
    );

    await db.query(`
      CREATE TABLE "users" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "email" text NOT NULL,
        "name" text NOT NULL,
        "password_hash" text NOT NULL,
        "created_at" timestamptz(3) NOT NULL DEFAULT now(),
        "updated_at" timestamptz(3) NOT NULL DEFAULT now(),
        CONSTRAINT "pk_users" PRIMARY KEY ("id"),
        CONSTRAINT "uq_users_email" UNIQUE ("email")
      )`);

    await db.query(`
      CREATE TABLE "workspaces" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "name" text NOT NULL,
        "description" text,
        "owner_id" uuid NOT NULL,
        "created_at" timestamptz(3) NOT NULL DEFAULT now(),
        "updated_at" timestamptz(3) NOT NULL DEFAULT now(),
        CONSTRAINT "pk_workspaces" PRIMARY KEY ("id"),
        CONSTRAINT "fk_workspaces_owner_id" FOREIGN KEY ("owner_id")
          REFERENCES "users" ("id") ON DELETE RESTRICT ON UPDATE NO ACTION
      )`);
    await db.query(`CREATE INDEX "idx_workspaces_owner_id" ON "workspaces" ("owner_id")`);

    await db.query(`
      CREATE TABLE "workspace_members" (
        "workspace_id" uuid NOT NULL,
        "user_id" uuid NOT NULL,
        "role" "workspace_role" NOT NULL,
        "created_at" timestamptz(3) NOT NULL DEFAULT now(),
        CONSTRAINT "pk_workspace_members" PRIMARY KEY ("workspace_id", "user_id"),
        CONSTRAINT "fk_workspace_members_workspace_id" FOREIGN KEY ("workspace_id")
          REFERENCES "workspaces" ("id") ON DELETE CASCADE ON UPDATE NO ACTION,
        CONSTRAINT "fk_workspace_members_user_id" FOREIGN KEY ("user_id")
          REFERENCES "users" ("id") ON DELETE CASCADE ON UPDATE NO ACTION
      )`);
    await db.query(
      `CREATE INDEX "idx_workspace_members_user_id_workspace_id" ON "workspace_members" ("user_id", "workspace_id")`,
    );

    await db.query(`
      CREATE TABLE "agents" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "workspace_id" uuid NOT NULL,
        "name" text NOT NULL,
        "role" text NOT NULL,
        "model" text NOT NULL,
        "status" "agent_status" NOT NULL DEFAULT 'idle',
        "created_at" timestamptz(3) NOT NULL DEFAULT now(),
        "updated_at" timestamptz(3) NOT NULL DEFAULT now(),
        CONSTRAINT "pk_agents" PRIMARY KEY ("id"),
        CONSTRAINT "fk_agents_workspace_id" FOREIGN KEY ("workspace_id")
          REFERENCES "workspaces" ("id") ON DELETE CASCADE ON UPDATE NO ACTION
      )`);
    await db.query(
      `CREATE INDEX "idx_agents_workspace_id_created_at_id" ON "agents" ("workspace_id", "created_at", "id")`,
    );
    await db.query(
      `CREATE INDEX "idx_agents_workspace_id_status" ON "agents" ("workspace_id", "status")`,
    );

    await db.query(`
      CREATE TABLE "agent_settings" (
        "agent_id" uuid NOT NULL,
        "key" text NOT NULL,
        "value" text NOT NULL,
        "updated_at" timestamptz(3) NOT NULL DEFAULT now(),
        CONSTRAINT "pk_agent_settings" PRIMARY KEY ("agent_id", "key"),
        CONSTRAINT "fk_agent_settings_agent_id" FOREIGN KEY ("agent_id")
          REFERENCES "agents" ("id") ON DELETE CASCADE ON UPDATE NO ACTION
      )`);

    await db.query(`
      CREATE TABLE "deliverables" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "workspace_id" uuid NOT NULL,
        "agent_id" uuid,
        "title" text NOT NULL,
        "content" text NOT NULL,
        "content_hash" character(64) NOT NULL,
        "display_content" jsonb,
        "display_content_hash" character(64),
        "transform_version" text,
        "transformed_at" timestamptz(3),
        "created_at" timestamptz(3) NOT NULL DEFAULT now(),
        "updated_at" timestamptz(3) NOT NULL DEFAULT now(),
        CONSTRAINT "pk_deliverables" PRIMARY KEY ("id"),
        CONSTRAINT "fk_deliverables_workspace_id" FOREIGN KEY ("workspace_id")
          REFERENCES "workspaces" ("id") ON DELETE CASCADE ON UPDATE NO ACTION,
        CONSTRAINT "fk_deliverables_agent_id" FOREIGN KEY ("agent_id")
          REFERENCES "agents" ("id") ON DELETE SET NULL ON UPDATE NO ACTION
      )`);
    await db.query(
      `CREATE INDEX "idx_deliverables_workspace_id_created_at_id" ON "deliverables" ("workspace_id", "created_at", "id")`,
    );
    await db.query(`CREATE INDEX "idx_deliverables_agent_id" ON "deliverables" ("agent_id")`);

    await db.query(`
      CREATE TABLE "thinking_processes" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "workspace_id" uuid NOT NULL,
        "agent_id" uuid NOT NULL,
        "title" text NOT NULL,
        "status" "thinking_process_status" NOT NULL DEFAULT 'running',
        "created_at" timestamptz(3) NOT NULL DEFAULT now(),
        "updated_at" timestamptz(3) NOT NULL DEFAULT now(),
        CONSTRAINT "pk_thinking_processes" PRIMARY KEY ("id"),
        CONSTRAINT "fk_thinking_processes_workspace_id" FOREIGN KEY ("workspace_id")
          REFERENCES "workspaces" ("id") ON DELETE CASCADE ON UPDATE NO ACTION,
        CONSTRAINT "fk_thinking_processes_agent_id" FOREIGN KEY ("agent_id")
          REFERENCES "agents" ("id") ON DELETE CASCADE ON UPDATE NO ACTION
      )`);
    await db.query(
      `CREATE INDEX "idx_thinking_processes_workspace_id_created_at_id" ON "thinking_processes" ("workspace_id", "created_at", "id")`,
    );
    await db.query(
      `CREATE INDEX "idx_thinking_processes_agent_id" ON "thinking_processes" ("agent_id")`,
    );

    await db.query(`
      CREATE TABLE "thinking_steps" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "process_id" uuid NOT NULL,
        "kind" "thinking_step_kind" NOT NULL,
        "content" text NOT NULL,
        "created_at" timestamptz(3) NOT NULL DEFAULT now(),
        CONSTRAINT "pk_thinking_steps" PRIMARY KEY ("id"),
        CONSTRAINT "fk_thinking_steps_process_id" FOREIGN KEY ("process_id")
          REFERENCES "thinking_processes" ("id") ON DELETE CASCADE ON UPDATE NO ACTION
      )`);
    await db.query(
      `CREATE INDEX "idx_thinking_steps_process_id_created_at_id" ON "thinking_steps" ("process_id", "created_at", "id")`,
    );

    await db.query(`
      CREATE TABLE "goals" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "workspace_id" uuid NOT NULL,
        "title" text NOT NULL,
        "description" text,
        "status" "goal_status" NOT NULL DEFAULT 'active',
        "progress" smallint NOT NULL DEFAULT 0,
        "agent_ids" uuid array NOT NULL DEFAULT '{}',
        "target_deliverables" integer,
        "window_hours" integer NOT NULL DEFAULT 24,
        "last_checked_at" timestamptz(3),
        "next_check_at" timestamptz(3),
        "created_at" timestamptz(3) NOT NULL DEFAULT now(),
        "updated_at" timestamptz(3) NOT NULL DEFAULT now(),
        CONSTRAINT "pk_goals" PRIMARY KEY ("id"),
        CONSTRAINT "fk_goals_workspace_id" FOREIGN KEY ("workspace_id")
          REFERENCES "workspaces" ("id") ON DELETE CASCADE ON UPDATE NO ACTION
      )`);
    await db.query(
      `CREATE INDEX "idx_goals_workspace_id_created_at_id" ON "goals" ("workspace_id", "created_at", "id")`,
    );
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE "goals"`);
    await db.query(`DROP TABLE "thinking_steps"`);
    await db.query(`DROP TABLE "thinking_processes"`);
    await db.query(`DROP TABLE "deliverables"`);
    await db.query(`DROP TABLE "agent_settings"`);
    await db.query(`DROP TABLE "agents"`);
    await db.query(`DROP TABLE "workspace_members"`);
    await db.query(`DROP TABLE "workspaces"`);
    await db.query(`DROP TABLE "users"`);
    await db.query(`DROP TYPE "goal_status"`);
    await db.query(`DROP TYPE "thinking_step_kind"`);
    await db.query(`DROP TYPE "thinking_process_status"`);
    await db.query(`DROP TYPE "agent_status"`);
    await db.query(`DROP TYPE "workspace_role"`);
  }
}
