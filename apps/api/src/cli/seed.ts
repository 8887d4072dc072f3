import 'reflect-metadata';
import { parseArgs } from 'node:util';
import { DataSource } from 'typeorm';
import { AppConfig, ConfigError } from '../infra/config/app-config.js';
import { EmbeddedPostgres } from '../infra/database/embedded-postgres.js';
import { runMigrations } from '../infra/database/migrate.js';
import { DEMO_SCALE, type SeedScale, validateScale } from '../seed/scale.js';
import { seedDemo, seedScale, type SeedReport } from '../seed/seed.js';
import { ensureUser } from '../seed/users.js';

const USAGE = `Seeds the database with realistic, deterministic data.

Usage: node dist/apps/api/apps/api/src/cli/seed.js [options]

  --workspaces <n>    workspaces to create                  (default ${DEMO_SCALE.workspaces})
  --agents <n>        agents per workspace                  (default ${DEMO_SCALE.agentsPerWorkspace})
  --settings <n>      settings per agent                    (default ${DEMO_SCALE.settingsPerAgent})
  --deliverables <n>  deliverables per workspace            (default ${DEMO_SCALE.deliverablesPerWorkspace})
  --processes <n>     thinking processes per workspace      (default ${DEMO_SCALE.processesPerWorkspace})
  --steps <n>         thinking steps per process            (default ${DEMO_SCALE.stepsPerProcess})
  --goals <n>         goals per workspace                   (default ${DEMO_SCALE.goalsPerWorkspace})
  --seed <n>          data seed: same seed, same data       (default 1)
  --anchor <iso>      "now" for the generated timestamps    (default the current time)
  --email <email>     owner of the workspaces, created if missing (default DEMO_EMAIL)
  --password <pw>     their password, if created            (default DEMO_PASSWORD)
  --name <name>       their name, if created                (default DEMO_NAME)
  --demo              only seed the demo user and workspace (idempotent), as the server does
  -h, --help          show this help

The database is DATABASE_URL, or the embedded PostgreSQL (EMBEDDED_PG_DIR,
EMBEDDED_PG_PORT) when it is not set; pending migrations are applied first.
Example, one million thinking steps:
  DATABASE_URL=postgres://postgres@127.0.0.1:5432/app node dist/apps/api/apps/api/src/cli/seed.js \\
    --workspaces 10 --processes 1000 --steps 100
`;

class UsageError extends Error {}

interface CliOptions {
  help: boolean;
  demo: boolean;
  scale: SeedScale;
  seed: number;
  anchor: Date | undefined;
  email: string | undefined;
  password: string | undefined;
  name: string | undefined;
}

const SCALE_FLAGS: Record<string, keyof SeedScale> = {
  workspaces: 'workspaces',
  agents: 'agentsPerWorkspace',
  settings: 'settingsPerAgent',
  deliverables: 'deliverablesPerWorkspace',
  processes: 'processesPerWorkspace',
  steps: 'stepsPerProcess',
  goals: 'goalsPerWorkspace',
};

export function parseCliArgs(argv: string[]): CliOptions {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        workspaces: { type: 'string' },
        agents: { type: 'string' },
        settings: { type: 'string' },
        deliverables: { type: 'string' },
        processes: { type: 'string' },
        steps: { type: 'string' },
        goals: { type: 'string' },
        seed: { type: 'string' },
        anchor: { type: 'string' },
        email: { type: 'string' },
        password: { type: 'string' },
        name: { type: 'string' },
        demo: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }));
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }

  const scale: SeedScale = { ...DEMO_SCALE };
  for (const [flag, key] of Object.entries(SCALE_FLAGS)) {
    const raw = values[flag as keyof typeof values];
    if (typeof raw === 'string') scale[key] = wholeNumber(flag, raw, flag === 'workspaces' ? 1 : 0);
  }
  let anchor: Date | undefined;
  if (values.anchor !== undefined) {
    anchor = new Date(values.anchor);
    if (Number.isNaN(anchor.getTime())) {
      throw new UsageError(`--anchor must be an ISO 8601 date-time (got "${values.anchor}")`);
    }
  }
  if (values.demo) {
    const scaleFlags = Object.keys(SCALE_FLAGS).filter(
      (f) => values[f as keyof typeof values] !== undefined,
    );
    if (scaleFlags.length > 0 || values.seed !== undefined || values.anchor !== undefined) {
      throw new UsageError(
        '--demo seeds the fixed demo workspace: it takes no scale, --seed or --anchor flags',
      );
    }
  }
  if (!values.demo) {
    try {
      validateScale(scale);
    } catch (error) {
      throw new UsageError(error instanceof Error ? error.message : String(error));
    }
  }
  return {
    help: values.help,
    demo: values.demo,
    scale,
    seed: values.seed === undefined ? 1 : wholeNumber('seed', values.seed, 0),
    anchor,
    email: values.email,
    password: values.password,
    name: values.name,
  };
}

function wholeNumber(flag: string, raw: string, min: number): number {
  if (!/^\d+$/.test(raw.trim()) || !Number.isSafeInteger(Number(raw))) {
    throw new UsageError(`--${flag} must be a whole number (got "${raw}")`);
  }
  const value = Number(raw);
  if (value < min) throw new UsageError(`--${flag} must be at least ${min} (got ${value})`);
  return value;
}

export function formatReport(report: SeedReport, setup: Record<string, number>): string {
  const rows: [string, string, string][] = [['table', 'rows', 'ms']];
  for (const t of report.tables) rows.push([t.table, count(t.rows), count(t.ms)]);
  rows.push(['commit', '', count(report.commitMs)]);
  if (report.analyzeMs > 0) rows.push(['analyze', '', count(report.analyzeMs)]);
  rows.push(['total', count(report.rows), count(report.totalMs)]);
  const widths = [0, 1, 2].map((i) => Math.max(...rows.map((r) => r[i].length)));
  const line = (r: [string, string, string]) =>
    `  ${r[0].padEnd(widths[0])}  ${r[1].padStart(widths[1])}  ${r[2].padStart(widths[2])}`;
  const rule = `  ${'-'.repeat(widths[0] + widths[1] + widths[2] + 4)}`;
  const body = rows.map(line);
  body.splice(1, 0, rule);
  body.splice(body.length - 1, 0, rule);
  const steps = report.tables.find((t) => t.table === 'thinking_steps');
  const rate =
    steps && steps.rows > 0 && steps.ms > 0
      ? `\n  thinking steps: ${count(Math.round((steps.rows / steps.ms) * 1000))} rows/s`
      : '';
  const setupLine = Object.entries(setup)
    .map(([step, ms]) => `${step} ${count(ms)} ms`)
    .join(', ');
  return `${body.join('\n')}${rate}\n  setup: ${setupLine}`;
}

function count(value: number): string {
  return String(value).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

export async function main(argv: string[] = process.argv.slice(2)): Promise<void> {
  const options = parseCliArgs(argv);
  if (options.help) {
    process.stdout.write(USAGE);
    return;
  }
  const config = AppConfig.fromProcessEnv();
  const owner = {
    email: options.email ?? config.demo.email,
    password: options.password ?? config.demo.password,
    name: options.name ?? config.demo.name,
  };
  const setup: Record<string, number> = {};
  const time = async <T>(step: string, work: () => Promise<T>): Promise<T> => {
    const started = performance.now();
    try {
      return await work();
    } finally {
      setup[step] = Math.round(performance.now() - started);
    }
  };

  const embedded = config.databaseUrl
    ? undefined
    : new EmbeddedPostgres({ dir: config.embeddedPg.dir, port: config.embeddedPg.port });
  let embeddedStarted = false;
  let db: DataSource | undefined;
  try {
    let url = config.databaseUrl;
    if (!url) {
      url = await time('database start', () => embedded!.start());
      embeddedStarted = true;
    }
    const databaseUrl = url;
    const { applied } = await time('migrations', () => runMigrations(databaseUrl));
    if (applied.length > 0) console.log(`applied migrations: ${applied.join(', ')}`);
    db = await time('connect', () =>
      new DataSource({ type: 'postgres', url: databaseUrl, logging: ['error'] }).initialize(),
    );
    const connected = db;

    if (options.demo) {
      const result = await time('demo seed', () => seedDemo(connected, owner));
      console.log(
        result.created
          ? `seeded the demo workspace ${result.workspaceId} for ${owner.email} (user ${result.userId})`
          : `${owner.email} already exists (user ${result.userId}): nothing to do`,
      );
      console.log(
        `  setup: ${Object.entries(setup)
          .map(([s, ms]) => `${s} ${count(ms)} ms`)
          .join(', ')}`,
      );
      return;
    }

    const user = await time('owner', () => ensureUser(connected, owner));
    console.log(`${user.created ? 'created' : 'using'} owner ${owner.email} (${user.id})`);
    const s = options.scale;
    console.log(
      `seed ${options.seed}: ${s.workspaces} workspaces x (${s.agentsPerWorkspace} agents x ` +
        `${s.settingsPerAgent} settings, ${s.deliverablesPerWorkspace} deliverables, ` +
        `${s.processesPerWorkspace} processes x ${s.stepsPerProcess} steps, ${s.goalsPerWorkspace} goals)`,
    );
    const report = await seedScale(connected, user.id, options.scale, options.seed, {
      anchor: options.anchor,
    });
    console.log(formatReport(report, setup));
  } finally {
    await db?.destroy().catch(() => undefined);
    if (embeddedStarted) await embedded?.stop();
  }
}

// Runs when executed (node .../cli/seed.js), not when imported by a test.
if (typeof require !== 'undefined' && require.main === module) {
  main().catch((error: unknown) => {
    if (error instanceof UsageError) {
      console.error(`seed: ${error.message}\n\n${USAGE}`);
    } else if (error instanceof ConfigError) {
      console.error(error.message);
    } else {
      console.error(`seed failed: ${error instanceof Error ? error.message : String(error)}`);
      if (process.env.DEBUG && error instanceof Error && error.stack) console.error(error.stack);
    }
    process.exit(1);
  });
}
