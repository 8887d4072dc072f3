import { Client } from 'pg';

/** An arbitrary, fixed key: "orchestrator bootstrap". */
const BOOTSTRAP_LOCK_KEY = 727_001;

/**
 * Runs `work` while holding a Postgres session advisory lock, so that several
 * API instances starting together migrate and seed one after another, not at once.
 */
export async function withBootstrapLock<T>(url: string, work: () => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url, application_name: 'orchestrator-bootstrap' });
  client.on('error', () => undefined); // a dropped connection ends the lock; `work` reports the real error
  await client.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [BOOTSTRAP_LOCK_KEY]);
    return await work();
  } finally {
    await client
      .query('SELECT pg_advisory_unlock($1)', [BOOTSTRAP_LOCK_KEY])
      .catch(() => undefined);
    await client.end().catch(() => undefined);
  }
}
