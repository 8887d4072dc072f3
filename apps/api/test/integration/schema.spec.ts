import {
  AGENT_STATUSES,
  GOAL_STATUSES,
  THINKING_PROCESS_STATUSES,
  THINKING_STEP_KINDS,
  WORKSPACE_ROLES,
} from '@orch/contracts';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrations } from '../../../../migrations/index.js';
import { ENTITIES } from '../../src/entities.js';
import { revertMigrations, runMigrations } from '../../src/infra/database/migrate.js';
import { createEmptyDatabase, type TestDatabase } from '../support/database.js';

/** Every index the API's queries rely on (docs/queries.md says which query uses which). */
const EXPECTED_INDEXES = [
  'idx_workspaces_owner_id',
  'idx_workspace_members_user_id_workspace_id',
  'idx_agents_workspace_id_created_at_id',
  'idx_agents_workspace_id_status',
  'idx_deliverables_workspace_id_created_at_id',
  'idx_deliverables_agent_id',
  'idx_thinking_processes_workspace_id_created_at_id',
  'idx_thinking_processes_agent_id',
  'idx_thinking_steps_process_id_created_at_id',
  'idx_goals_workspace_id_created_at_id',
  'idx_goal_schedules_next_check_at',
  'idx_display_jobs_run_after',
  'idx_display_jobs_workspace_id',
];

/**
 * Every database enum and the contract's list it must equal, value for value and in order:
 * one status vocabulary, so a value one side lacks (the seed system's AgentStatus.TERMINATED)
 * fails here instead of at run time.
 */
const ENUMS: Record<string, readonly string[]> = {
  agent_status: AGENT_STATUSES,
  goal_status: GOAL_STATUSES,
  thinking_process_status: THINKING_PROCESS_STATUSES,
  thinking_step_kind: THINKING_STEP_KINDS,
  workspace_role: WORKSPACE_ROLES,
};

describe('migrations', () => {
  let database: TestDatabase;
  let db: DataSource;

  beforeAll(async () => {
    database = await createEmptyDatabase();
    db = await new DataSource({
      type: 'postgres',
      url: database.url,
      entities: ENTITIES,
    }).initialize();
  });
  afterAll(async () => {
    await db.destroy();
    await database.drop();
  });

  it('are named <ms-timestamp>-<PascalName> and listed oldest first', () => {
    const names = migrations.map((m) => m.name);
    for (const name of names) expect(name).toMatch(/^[A-Z][A-Za-z]+\d{13}$/);
    const stamps = names.map((n) => Number(/\d{13}$/.exec(n)?.[0]));
    expect([...stamps].sort((a, b) => a - b)).toEqual(stamps);
  });

  it('run up on an empty database, leave the entities nothing to change, and go down cleanly', async () => {
    const up = await runMigrations(database.url);
    expect(up.applied).toEqual(migrations.map((m) => m.name));

    // The CI check that entities and migrations agree: TypeORM's schema diff must be empty.
    const diff = await db.driver.createSchemaBuilder().log();
    expect(diff.upQueries.map((q) => q.query)).toEqual([]);

    const indexes = await db.query<{ indexname: string }[]>(
      `SELECT indexname FROM pg_indexes WHERE schemaname = 'public' AND indexname LIKE 'idx_%'`,
    );
    expect(indexes.map((i) => i.indexname).sort()).toEqual([...EXPECTED_INDEXES].sort());

    // Every foreign key has an index that starts with its column (no seq scans on cascades).
    const unindexed = await db.query<{ constraint: string }[]>(`
      SELECT c.conname AS constraint
        FROM pg_constraint c
       WHERE c.contype = 'f'
         AND NOT EXISTS (
           SELECT 1 FROM pg_index i
            WHERE i.indrelid = c.conrelid AND (i.indkey::int2[])[0:array_length(c.conkey, 1) - 1] = c.conkey)`);
    expect(unindexed).toEqual([]);

    const enums = await db.query<{ name: string; labels: string[] }[]>(`
      SELECT t.typname AS name, array_agg(e.enumlabel ORDER BY e.enumsortorder)::text[] AS labels
        FROM pg_type t
        JOIN pg_namespace n ON n.oid = t.typnamespace
        JOIN pg_enum e ON e.enumtypid = t.oid
       WHERE n.nspname = 'public'
       GROUP BY t.typname`);
    expect(Object.fromEntries(enums.map((e) => [e.name, e.labels]))).toEqual(
      Object.fromEntries(Object.entries(ENUMS).map(([name, values]) => [name, [...values]])),
    );

    const reverted = await revertMigrations(database.url, migrations.length);
    expect(reverted).toEqual(migrations.map((m) => m.name).reverse());
    const left = await db.query<{ n: number }[]>(`
      SELECT (SELECT count(*) FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'migrations')
           + (SELECT count(*) FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
               WHERE n.nspname = 'public' AND t.typtype = 'e') AS n`);
    expect(Number(left[0].n)).toBe(0);

    // And up again: down() left nothing behind that blocks a re-run.
    const again = await runMigrations(database.url);
    expect(again.applied).toHaveLength(migrations.length);
  });
});
