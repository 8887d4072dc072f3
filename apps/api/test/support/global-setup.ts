import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import type { TestProject } from 'vitest/node';
import { EmbeddedPostgres } from '../../src/infra/database/embedded-postgres.js';
import { runMigrations } from '../../src/infra/database/migrate.js';
import { withDatabase } from './database-url.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** A URL to the server's maintenance database, for CREATE/DROP DATABASE. */
    pgAdminUrl: string;
    /** A migrated database that every test file clones. */
    pgTemplate: string;
  }
}

/**
 * One PostgreSQL for the whole run: the server DATABASE_URL points at, or an
 * embedded one in a temporary directory (how CI and a fresh machine run).
 * It migrates a template database once; each test file clones it.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  let embedded: EmbeddedPostgres | undefined;
  let dataDir: string | undefined;
  let adminUrl = process.env.DATABASE_URL;
  if (adminUrl) {
    console.log(`[api tests] using the PostgreSQL at DATABASE_URL (${new URL(adminUrl).host})`);
  } else {
    dataDir = mkdtempSync(join(tmpdir(), 'orch-test-pg-'));
    chmodSync(dataDir, 0o755); // the server may run as the `postgres` user: it must reach data/
    const port = 55_000 + Math.floor(Math.random() * 5_000);
    embedded = new EmbeddedPostgres({
      dir: join(dataDir, 'data'),
      port,
      settings: { fsync: 'off', synchronous_commit: 'off', full_page_writes: 'off' },
    });
    adminUrl = await embedded.start();
    console.log(`[api tests] no DATABASE_URL: started an embedded PostgreSQL on port ${port}`);
  }

  const template = `orch_template_${randomBytes(4).toString('hex')}`;
  await admin(adminUrl, `CREATE DATABASE "${template}"`);
  await runMigrations(withDatabase(adminUrl, template));
  project.provide('pgAdminUrl', adminUrl);
  project.provide('pgTemplate', template);

  return async () => {
    // Drop whatever the run created (test files drop their own; this catches crashes).
    const client = new Client({ connectionString: adminUrl });
    await client.connect();
    const { rows } = await client.query<{ datname: string }>(
      `SELECT datname FROM pg_database WHERE datname LIKE $1 OR datname = $2`,
      [`${template}_%`, template],
    );
    for (const { datname } of rows)
      await client.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
    await client.end();
    await embedded?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  };
}

async function admin(url: string, sql: string): Promise<void> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}
