import type { DataSource } from 'typeorm';
import { PasswordHasher } from '../modules/auth/password-hasher.js';
import { planWorkspaces } from './planning/workspaces.js';
import { DEMO_SCALE, DEMO_WORKSPACE_NAME, type SeedScale, validateScale } from './scale.js';
import { inTransaction } from './transaction.js';
import { findUserId, insertUser, normaliseEmail, type SeedUser } from './users.js';
import { SEED_TABLES, type SeedTableReport, writePlan } from './writers/write-plan.js';

/**
 * The two ways to seed: the demo workspace (first start, `--demo`) and a
 * scale seed (the CLI, tests, benchmarks). Each plans its rows
 * (planning/), writes them in one transaction (writers/), and reports.
 */

export interface SeedReport {
  seed: number;
  workspaceIds: string[];
  /** In insert order. */
  tables: SeedTableReport[];
  rows: number;
  commitMs: number;
  /** ANALYZE of the seeded tables after the commit, so the planner knows their new size. */
  analyzeMs: number;
  totalMs: number;
}

export interface SeedOptions {
  /** "Now" for the generated timestamps (default: the current time). Fix it for byte-identical runs. */
  anchor?: Date;
  /** ANALYZE the seeded tables after committing (default true). */
  analyze?: boolean;
}

export interface SeedDemoResult {
  created: boolean;
  userId: string;
  workspaceId: string | null;
}

/**
 * Creates the demo user and one workspace full of realistic data, in one
 * transaction. Idempotent: when a user with that email exists, nothing is
 * written (created: false). Call it after the migrations, under the bootstrap lock.
 */
export async function seedDemo(db: DataSource, user: SeedUser): Promise<SeedDemoResult> {
  const email = normaliseEmail(user.email);
  const existing = await findUserId(db, email);
  if (existing) return { created: false, userId: existing, workspaceId: null };

  // argon2 before the transaction: no locks held while hashing.
  const passwordHash = await new PasswordHasher().hash(user.password);
  return inTransaction(db, async (q) => {
    const userId = await insertUser(q, { email, name: user.name, passwordHash });
    if (!userId) {
      // Another process created it between the check and the insert.
      const raced = await findUserId(q, email);
      if (!raced) throw new Error(`seedDemo: could not create or find the user ${email}`);
      return { created: false, userId: raced, workspaceId: null };
    }
    // Content is the same for every demo; ids hang off the new user's id, so
    // they can never collide with an earlier demo or a scale seed.
    const plan = planWorkspaces({
      idNamespace: `demo:${userId}`,
      contentNamespace: 'demo',
      ownerId: userId,
      anchor: new Date(),
      scale: DEMO_SCALE,
      names: [DEMO_WORKSPACE_NAME],
    });
    await writePlan(q, plan, () => undefined);
    return { created: true, userId, workspaceId: plan.workspaces[0].id };
  });
}

/**
 * Seeds `scale.workspaces` workspaces owned by `ownerId`, with everything in
 * them, in one transaction; returns rows and milliseconds per table. The same
 * seed (and anchor) produces the same ids and text. The workspace ids follow
 * from the seed, so seeding the same seed into one database twice is refused.
 */
export async function seedScale(
  db: DataSource,
  ownerId: string,
  scale: SeedScale,
  seed = 1,
  options: SeedOptions = {},
): Promise<SeedReport> {
  validateScale(scale);
  if (!Number.isSafeInteger(seed)) throw new RangeError(`seed must be an integer (got ${seed})`);
  const started = performance.now();

  const owner = (await db.query(`SELECT id FROM users WHERE id = $1`, [ownerId])) as unknown[];
  if (owner.length === 0) throw new Error(`seedScale: no user with id ${ownerId}`);

  const namespace = `seed:${seed}`;
  const plan = planWorkspaces({
    idNamespace: namespace,
    contentNamespace: namespace,
    ownerId,
    anchor: options.anchor ?? new Date(),
    scale,
    names: [],
  });
  const workspaceIds = plan.workspaces.map((w) => w.id);
  const taken = (await db.query(`SELECT id FROM workspaces WHERE id = ANY($1::uuid[]) LIMIT 1`, [
    workspaceIds,
  ])) as { id: string }[];
  if (taken.length > 0) {
    throw new Error(
      `Seed ${seed} has already been applied to this database (workspace ${taken[0].id} exists). ` +
        'Use another seed, or a fresh database.',
    );
  }

  const tables: SeedTableReport[] = [];
  let commitStarted = 0;
  await inTransaction(db, async (q) => {
    await writePlan(q, plan, (report) => tables.push(report));
    commitStarted = performance.now();
  });
  const commitMs = performance.now() - commitStarted;

  let analyzeMs = 0;
  if (options.analyze ?? true) {
    const analyzeStarted = performance.now();
    await db.query(`ANALYZE ${SEED_TABLES.join(', ')}`);
    analyzeMs = performance.now() - analyzeStarted;
  }
  return {
    seed,
    workspaceIds,
    tables,
    rows: tables.reduce((sum, t) => sum + t.rows, 0),
    commitMs: Math.round(commitMs),
    analyzeMs: Math.round(analyzeMs),
    totalMs: Math.round(performance.now() - started),
  };
}
