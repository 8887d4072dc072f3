import { Client } from 'pg';

/** Polls `check` every 10 ms until it holds; fails naming `what` after `timeoutMs`. */
export async function waitFor(
  what: string,
  check: () => Promise<boolean>,
  timeoutMs = 10_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/**
 * An ACCESS EXCLUSIVE lock on `tables`, held by a connection of the test's own until released:
 * any statement of the app reading those tables waits, the others run.
 */
export async function lockTables(databaseUrl: string, tables: string) {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  await client.query('BEGIN');
  await client.query(`LOCK TABLE ${tables} IN ACCESS EXCLUSIVE MODE`);
  let released = false;
  return {
    /**
     * Statements of this database waiting for a lock now; with `only`, those whose text
     * matches it, and with `except`, not those whose text matches it (case-insensitive POSIX
     * regular expressions). An app's background work (the display queue's lease, which joins
     * `deliverables`, runs every second) waits on a lock as well as the requests a test placed.
     */
    async waiting(filter: { only?: string; except?: string } = {}): Promise<number> {
      // Inside a transaction the activity view is a snapshot: refresh it on every look.
      await client.query('SELECT pg_stat_clear_snapshot()');
      const rows = await client.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM pg_stat_activity
          WHERE datname = current_database() AND wait_event_type = 'Lock'
            AND ($1::text IS NULL OR query ~* $1) AND ($2::text IS NULL OR query !~* $2)`,
        [filter.only ?? null, filter.except ?? null],
      );
      return rows.rows[0].n;
    },
    async release(): Promise<void> {
      if (released) return;
      released = true;
      try {
        await client.query('COMMIT');
      } finally {
        await client.end();
      }
    },
  };
}
