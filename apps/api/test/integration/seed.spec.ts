import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { seedDemo, seedScale } from '../../src/seed/seed.js';
import type { SeedTable } from '../../src/seed/writers/write-plan.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';

/**
 * The seed writes the same rows, byte for byte, for the same seed and anchor: the
 * checksums below were taken from the seed as it was before its split into planning
 * and per-table writers, and any change to the generated data (a pool entry, the order
 * of a random draw, a timestamp's rounding) changes them. The scale is chosen to cross
 * every boundary the planner has: more workspaces than workspace names, more agents than
 * the named team and the name pool, more settings than the known keys, deliverables
 * across two insert batches.
 */

const OWNER_ID = '22222222-2222-4222-8222-222222222222';
const ANCHOR = new Date('2026-11-22T12:00:00.000Z');
const WIDE = {
  workspaces: 13,
  agentsPerWorkspace: 48,
  settingsPerAgent: 13,
  deliverablesPerWorkspace: 40,
  processesPerWorkspace: 6,
  stepsPerProcess: 7,
  goalsPerWorkspace: 7,
};

/** The columns the seed writes, per table: a column added later does not move the checksum. */
const COLUMNS: Record<SeedTable, string> = {
  workspaces: 'id, name, description, owner_id, created_at, updated_at',
  workspace_members: 'workspace_id, user_id, role, created_at',
  agents: 'id, workspace_id, name, role, model, status, created_at, updated_at',
  agent_settings: 'agent_id, key, value, updated_at',
  deliverables: 'id, workspace_id, agent_id, title, content, content_hash, created_at, updated_at',
  thinking_processes:
    'id, workspace_id, agent_id, title, status, created_at, updated_at, last_step_at',
  thinking_steps: 'id, process_id, kind, content, created_at',
  goals:
    'id, workspace_id, title, description, status, progress, agent_ids, target_deliverables, ' +
    'window_hours, last_checked_at, next_check_at, created_at, updated_at',
};

/** Rows and md5 of every seeded table (rows as text, sorted, timestamps in UTC). */
async function checksums(db: DataSource): Promise<Record<SeedTable, string>> {
  return db.transaction(async (m) => {
    await m.query(`SET LOCAL TIME ZONE 'UTC'`);
    const out = {} as Record<SeedTable, string>;
    for (const [table, columns] of Object.entries(COLUMNS) as [SeedTable, string][]) {
      const [row] = (await m.query(
        `SELECT count(*)::int AS n, md5(coalesce(string_agg(r, E'\\n' ORDER BY r), '')) AS h
           FROM (SELECT ROW(${columns})::text AS r FROM ${table}) AS t`,
      )) as { n: number; h: string }[];
      out[table] = `${row.n} ${row.h}`;
    }
    return out;
  });
}

describe('seed output', () => {
  let database: TestDatabase;
  let db: DataSource;

  beforeAll(async () => {
    database = await createTestDatabase();
    db = await new DataSource({ type: 'postgres', url: database.url }).initialize();
  });
  afterEach(async () => {
    vi.useRealTimers();
    await db.query(`TRUNCATE users, workspaces CASCADE`);
  });
  afterAll(async () => {
    await db?.destroy();
    await database?.drop();
  });

  it('seedScale writes the same rows for the same scale, seed and anchor', async () => {
    await db.query(
      `INSERT INTO users (id, email, name, password_hash) VALUES ($1, 'owner@example.com', 'Owner', 'x')`,
      [OWNER_ID],
    );
    const report = await seedScale(db, OWNER_ID, WIDE, 7, { anchor: ANCHOR, analyze: false });

    expect(report.tables.map((t) => [t.table, t.rows])).toEqual([
      ['workspaces', 13],
      ['workspace_members', 13],
      ['agents', 624],
      ['agent_settings', 8112],
      ['deliverables', 520],
      ['thinking_processes', 78],
      ['thinking_steps', 546],
      ['goals', 91],
    ]);
    expect(report.analyzeMs).toBe(0);
    expect(await checksums(db)).toEqual({
      workspaces: '13 4499c5b82cdec9b236902056548dfb9a',
      workspace_members: '13 9d0ea2ac01dacea39aff673a886f7f86',
      agents: '624 b4283fb1a5fd80b20a6c68c3ed3cc8c0',
      agent_settings: '8112 10ca32c6c0213de99c9fb5dcb916192b',
      deliverables: '520 c8a98a2a34191f1144842274e66b05eb',
      thinking_processes: '78 eab15b91ff20fe9ef638e4f9513a661d',
      thinking_steps: '546 c5ee6488aa58581f1adc6e3d6415ff40',
      goals: '91 1bff6fe90ee2d5c5141913900bff7c2e',
    });
  });

  it('seedDemo writes the same demo workspace for the same user id and clock', async () => {
    // The demo's ids hang off the new user's id and its timestamps off "now": this
    // throwaway database hands out a fixed user id, and the clock is fixed.
    await db.query(
      `ALTER TABLE users ALTER COLUMN id SET DEFAULT '11111111-1111-4111-8111-111111111111'`,
    );
    vi.useFakeTimers({ toFake: ['Date'], now: ANCHOR });
    const result = await seedDemo(db, {
      email: 'Demo@Example.com ',
      password: 'demo-password',
      name: ' Demo ',
    });
    vi.useRealTimers();

    expect(result).toEqual({
      created: true,
      userId: '11111111-1111-4111-8111-111111111111',
      workspaceId: '8eed85b1-df4a-4f88-853e-bdb91de4d7e5',
    });
    const [user] = (await db.query(`SELECT email, name FROM users`)) as {
      email: string;
      name: string;
    }[];
    expect(user).toEqual({ email: 'demo@example.com', name: 'Demo' });
    expect(await checksums(db)).toEqual({
      workspaces: '1 4ff4459fca54f826a458fe55c225d80a',
      workspace_members: '1 c254d8ac03c8f3d9577af97071549d30',
      agents: '8 e8cd912d6dd3b84f4522be4adbabc183',
      agent_settings: '32 9602f4c2003c072be47f6da9cbfb624e',
      deliverables: '24 42457a554779222c1d4b3980f5b1496b',
      thinking_processes: '12 79765e86d182f6788aab419754f19c6a',
      thinking_steps: '180 76ac17ea96786af498ffd18758a15684',
      goals: '4 48fe040f643ae29c0e016958f34192f2',
    });
    // Idempotent: a second call writes nothing.
    expect(await seedDemo(db, { email: 'demo@example.com', password: 'x', name: 'x' })).toEqual({
      created: false,
      userId: '11111111-1111-4111-8111-111111111111',
      workspaceId: null,
    });
  });
});
