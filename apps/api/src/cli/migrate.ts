import { AppConfig, ConfigError } from '../infra/config/app-config.js';
import { withBootstrapLock } from '../infra/database/bootstrap-lock.js';
import { EmbeddedPostgres } from '../infra/database/embedded-postgres.js';
import { revertMigrations, runMigrations } from '../infra/database/migrate.js';

const USAGE = `usage: migrate up | down [count]
  up           apply every pending migration
  down [n]     revert the newest n migrations (default 1)
Uses DATABASE_URL, or the embedded PostgreSQL when it is unset.`;

async function main(argv: string[]): Promise<void> {
  const [command, countArg] = argv;
  if (command !== 'up' && command !== 'down') {
    console.error(USAGE);
    process.exit(2);
  }
  const count = countArg === undefined ? 1 : Number(countArg);
  if (!Number.isInteger(count) || count < 1) {
    console.error(`count must be a positive integer\n${USAGE}`);
    process.exit(2);
  }
  const config = AppConfig.fromProcessEnv();
  const embedded = config.databaseUrl
    ? undefined
    : new EmbeddedPostgres({ dir: config.embeddedPg.dir, port: config.embeddedPg.port });
  const url = config.databaseUrl ?? (await embedded!.start());
  try {
    await withBootstrapLock(url, async () => {
      if (command === 'up') {
        const { applied } = await runMigrations(url);
        console.log(applied.length ? `applied: ${applied.join(', ')}` : 'nothing to apply');
      } else {
        const reverted = await revertMigrations(url, count);
        console.log(reverted.length ? `reverted: ${reverted.join(', ')}` : 'nothing to revert');
      }
    });
  } finally {
    await embedded?.stop();
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).catch((error: unknown) => {
    console.error(error instanceof ConfigError || error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
