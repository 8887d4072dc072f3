import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { postmasterOf } from './cpu.js';
import { freePort } from './processes.js';

/** A scratch database for one run; `close()` drops it (and stops the server it started). */
export interface BenchDatabase {
  /** URL of the scratch database. */
  url: string;
  /** e.g. "18.1". */
  serverVersion: string;
  /** Where the server runs, for the report (never the credentials). */
  where: string;
  /** The server's main process, when it runs on this machine (for CPU accounting). */
  postmasterPid: number | undefined;
  close(): Promise<void>;
}

/** What the bench uses of the API's compiled EmbeddedPostgres class. */
interface EmbeddedServer {
  start(): Promise<string>;
  stop(): Promise<void>;
}
type EmbeddedServerClass = new (options: {
  dir: string;
  port: number;
  settings?: Record<string, string>;
  onLog?: (line: string) => void;
}) => EmbeddedServer;

export const EMBEDDED_POSTGRES_JS =
  'dist/apps/api/apps/api/src/infra/database/embedded-postgres.js';

/**
 * DATABASE_URL set: a `bench_<random>` database on that server, dropped at the
 * end. Unset: a throw-away embedded PostgreSQL (the API's own launcher, from
 * its build) with its data in a temporary directory, deleted at the end.
 */
export async function openDatabase(
  root: string,
  log: (line: string) => void,
): Promise<BenchDatabase> {
  const external = process.env.DATABASE_URL?.trim();
  if (external) {
    const where = describeServer(external);
    log(`database: scratch database on DATABASE_URL's server (${where})`);
    return createScratch(external, `PostgreSQL server at ${where} (DATABASE_URL)`, async () => {});
  }

  const load = createRequire(__filename);
  const loaded: unknown = load(join(root, EMBEDDED_POSTGRES_JS));
  const EmbeddedPostgres = (loaded as { EmbeddedPostgres?: EmbeddedServerClass }).EmbeddedPostgres;
  if (typeof EmbeddedPostgres !== 'function') {
    throw new Error(`${EMBEDDED_POSTGRES_JS} does not export EmbeddedPostgres: rebuild the API`);
  }
  // Traversable parent (as root the server runs as `postgres`); the data dir itself is private.
  const parent = mkdtempSync(join(tmpdir(), 'bench-'));
  chmodSync(parent, 0o755);
  const removeParent = async () => rmSync(parent, { recursive: true, force: true });
  const port = await freePort();
  const server = new EmbeddedPostgres({ dir: join(parent, 'pg'), port, onLog: () => undefined });
  log(`database: embedded PostgreSQL on 127.0.0.1:${port}, data in ${parent}`);
  let adminUrl: string;
  try {
    adminUrl = await server.start();
  } catch (error) {
    // A server that failed to start is not stopped (its stop() may never resolve).
    await removeParent();
    throw error;
  }
  const stopServer = async () => {
    await server.stop();
    await removeParent();
  };
  try {
    return await createScratch(
      adminUrl,
      'embedded PostgreSQL on 127.0.0.1 (same machine)',
      stopServer,
    );
  } catch (error) {
    await stopServer();
    throw error;
  }
}

async function createScratch(
  adminUrl: string,
  where: string,
  afterDrop: () => Promise<void>,
): Promise<BenchDatabase> {
  const name = `bench_${randomBytes(6).toString('hex')}`;
  const server = await withClient(adminUrl, async (client) => {
    await client.query(`CREATE DATABASE "${name}"`);
    const result = await client.query<{ version: string; pid: number }>(
      'SELECT current_setting($1) AS version, pg_backend_pid() AS pid',
      ['server_version'],
    );
    const row = result.rows[0];
    // While the connection is open: its backend's parent is the postmaster.
    return row ? { version: row.version, postmaster: postmasterOf(row.pid) } : undefined;
  });
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const local = ['127.0.0.1', 'localhost', '[::1]', '::1'].includes(url.hostname);
  return {
    url: url.toString(),
    serverVersion: (server?.version ?? 'unknown').split(' ')[0],
    where,
    postmasterPid: local ? server?.postmaster : undefined,
    close: async () => {
      try {
        await withClient(adminUrl, (client) =>
          client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`),
        );
      } finally {
        await afterDrop();
      }
    },
  };
}

export async function withClient<T>(
  url: string,
  work: (client: pg.Client) => Promise<T>,
): Promise<T> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 10_000 });
  // An 'error' listener: a server going away must not crash the bench.
  client.on('error', () => undefined);
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end().catch(() => undefined);
  }
}

function describeServer(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.hostname}:${parsed.port || '5432'}`;
  } catch {
    return 'unparsable URL';
  }
}

export function assertBuilt(root: string, files: string[]): void {
  const missing = files.filter((f) => !existsSync(join(root, f)));
  if (missing.length > 0) {
    throw new Error(
      `Not built: ${missing.join(', ')}.\nBuild first: npx nx run-many -t build --projects=contracts,api,bench`,
    );
  }
}
