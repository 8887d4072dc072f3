import { DataSource } from 'typeorm';
import { migrations } from '../../../../../migrations/index.js';

export interface MigrationResult {
  applied: string[];
}

function migrationDataSource(url: string): DataSource {
  return new DataSource({
    type: 'postgres',
    url,
    migrations,
    migrationsTableName: 'migrations',
    migrationsTransactionMode: 'each',
    logging: ['error'],
  });
}

/** Applies every pending migration, each in its own transaction. */
export async function runMigrations(url: string): Promise<MigrationResult> {
  const ds = await migrationDataSource(url).initialize();
  try {
    const applied = await ds.runMigrations({ transaction: 'each' });
    return { applied: applied.map((m) => m.name) };
  } finally {
    await ds.destroy();
  }
}

/** Reverts the most recent migrations, newest first. */
export async function revertMigrations(url: string, count = 1): Promise<string[]> {
  const ds = await migrationDataSource(url).initialize();
  try {
    const reverted: string[] = [];
    for (let i = 0; i < count; i++) {
      const executed = await ds.query<{ name: string }[]>(
        `SELECT name FROM migrations ORDER BY "timestamp" DESC, id DESC LIMIT 1`,
      );
      if (executed.length === 0) break;
      await ds.undoLastMigration({ transaction: 'each' });
      reverted.push(executed[0].name);
    }
    return reverted;
  } finally {
    await ds.destroy();
  }
}
