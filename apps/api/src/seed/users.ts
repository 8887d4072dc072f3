import type { DataSource } from 'typeorm';
import { PasswordHasher } from '../modules/auth/password-hasher.js';

export interface SeedUser {
  email: string;
  password: string;
  name: string;
}

/** A DataSource, or a QueryRunner inside a transaction. */
export interface Queryable {
  query(sql: string, params?: unknown[]): Promise<unknown>;
}

export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

export async function findUserId(db: Queryable, email: string): Promise<string | undefined> {
  const rows = (await db.query(`SELECT id FROM users WHERE email = $1`, [email])) as {
    id: string;
  }[];
  return rows[0]?.id;
}

/**
 * Inserts the user and returns their id, or undefined when another process
 * created a user with that (normalised) email first.
 */
export async function insertUser(
  db: Queryable,
  user: { email: string; name: string; passwordHash: string },
): Promise<string | undefined> {
  const inserted = (await db.query(
    `INSERT INTO users (email, name, password_hash) VALUES ($1, $2, $3)
     ON CONFLICT (email) DO NOTHING
     RETURNING id`,
    [user.email, user.name.trim(), user.passwordHash],
  )) as { id: string }[];
  return inserted[0]?.id;
}

/** Finds a user by email or creates them (argon2 hash); for the seed CLI. */
export async function ensureUser(
  db: DataSource,
  user: SeedUser,
): Promise<{ id: string; created: boolean }> {
  const email = normaliseEmail(user.email);
  const existing = await findUserId(db, email);
  if (existing) return { id: existing, created: false };
  const passwordHash = await new PasswordHasher().hash(user.password);
  const id = await insertUser(db, { email, name: user.name, passwordHash });
  if (id) return { id, created: true };
  const raced = await findUserId(db, email);
  if (!raced) throw new Error(`could not create or find the user ${email}`);
  return { id: raced, created: false };
}
