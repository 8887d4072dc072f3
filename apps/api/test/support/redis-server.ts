import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { freePort } from './spawn-api.js';

/**
 * A Redis server of the test's own: `redis-server --port <free> --save '' --appendonly no
 * --bind 127.0.0.1` as a child process, which the test can stop (as a crash: SIGKILL) and
 * start again on the same port. Tests that take Redis away must not share one: the rate-limit
 * keys have a fixed prefix (`orch:rl`), and other suites may use the machine's Redis.
 */
export interface RedisServer {
  readonly port: number;
  /** redis://127.0.0.1:<port> */
  readonly url: string;
  readonly running: boolean;
  /** Kills the server (SIGKILL, like a crash) and waits for it to be gone. Nothing persists. */
  stop(): Promise<void>;
  /** Starts it again on the same port; resolves once it answers PING. */
  start(): Promise<void>;
  /** One command on a short-lived connection of its own. */
  command(name: string, ...args: (string | number)[]): Promise<unknown>;
  /** Keys matching a glob pattern (KEYS: fine for a test's tiny database). */
  keys(pattern: string): Promise<string[]>;
  /** Connected normal clients, not counting the connection that asks. */
  clientCount(): Promise<number>;
  /** Resolves once at least `n` clients are connected. */
  waitForClients(n: number, timeoutMs?: number): Promise<void>;
  /** Stops it for good and removes its directory. */
  close(): Promise<void>;
}

const READY_TIMEOUT_MS = 10_000;

function assertInstalled(): void {
  const probe = spawnSync('redis-server', ['--version'], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0) {
    throw new Error(
      'redis-server is not installed or not on PATH (' +
        (probe.error?.message ?? `exit ${probe.status}`) +
        '). These tests start and stop a Redis of their own: install it ' +
        '(Debian/Ubuntu: apt-get install redis-server; macOS: brew install redis).',
    );
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function withConnection<T>(port: number, work: (redis: Redis) => Promise<T>): Promise<T> {
  const redis = new Redis({
    host: '127.0.0.1',
    port,
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    connectTimeout: 1_000,
    retryStrategy: () => null,
  });
  redis.on('error', () => undefined);
  try {
    await redis.connect();
    return await work(redis);
  } finally {
    redis.disconnect();
  }
}

export async function startRedisServer(): Promise<RedisServer> {
  assertInstalled();
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'orch-test-redis-'));
  chmodSync(dir, 0o700);
  let child: ChildProcess | undefined;
  let output = '';

  const exited = (c: ChildProcess) => c.exitCode !== null || c.signalCode !== null;
  const reap = () => {
    if (child && !exited(child)) child.kill('SIGKILL');
  };
  process.once('exit', reap);

  const ping = async (): Promise<boolean> => {
    try {
      return (await withConnection(port, (r) => r.ping())) === 'PONG';
    } catch {
      return false;
    }
  };

  const start = async (): Promise<void> => {
    if (child && !exited(child)) return;
    output = '';
    const started = spawn(
      'redis-server',
      [
        '--port',
        String(port),
        '--bind',
        '127.0.0.1',
        '--save',
        '',
        '--appendonly',
        'no',
        '--dir',
        dir,
        '--loglevel',
        'warning',
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    child = started;
    const collect = (chunk: Buffer) => {
      output = (output + chunk.toString('utf8')).slice(-20_000);
    };
    started.stdout?.on('data', collect);
    started.stderr?.on('data', collect);
    const deadline = Date.now() + READY_TIMEOUT_MS;
    while (!(await ping())) {
      if (exited(started) || Date.now() > deadline) {
        started.kill('SIGKILL');
        throw new Error(
          `redis-server on port ${port} did not answer PING ` +
            `(exit code ${started.exitCode}, signal ${started.signalCode}):\n${output}`,
        );
      }
      await sleep(25);
    }
  };

  const stop = async (): Promise<void> => {
    const running = child;
    if (!running || exited(running)) return;
    await new Promise<void>((resolve) => {
      running.once('exit', () => resolve());
      running.kill('SIGKILL');
    });
  };

  const command = (name: string, ...args: (string | number)[]) =>
    withConnection(port, (r) => r.call(name, ...args));

  const server: RedisServer = {
    port,
    url: `redis://127.0.0.1:${port}`,
    get running() {
      return child !== undefined && !exited(child);
    },
    stop,
    start,
    command,
    keys: async (pattern) => (await command('KEYS', pattern)) as string[],
    clientCount: async () => {
      const list = (await command('CLIENT', 'LIST', 'TYPE', 'normal')) as string;
      return Math.max(0, list.split('\n').filter((line) => line.trim() !== '').length - 1);
    },
    waitForClients: async (n, timeoutMs = 15_000) => {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const seen = await server.clientCount();
        if (seen >= n) return;
        if (Date.now() > deadline) {
          throw new Error(`only ${seen} of ${n} clients connected to Redis within ${timeoutMs} ms`);
        }
        await sleep(50);
      }
    },
    close: async () => {
      await stop();
      process.off('exit', reap);
      rmSync(dir, { recursive: true, force: true });
    },
  };
  await start();
  return server;
}
