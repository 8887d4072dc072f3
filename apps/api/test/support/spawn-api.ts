import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { envSchema } from '../../src/infra/config/config.schema.js';
import { ApiClient } from './api-client.js';
import { TEST_OPERATOR_EMAIL } from './operator.js';

/**
 * The built API (`node dist/apps/api/apps/api/src/main.js`, what `npm start` runs) as a child
 * process: for tests that need several real API processes, or a real process start.
 * Same approach as apps/web/e2e/support/server.ts, without its embedded PostgreSQL: the
 * caller passes DATABASE_URL (a test database) and everything else it wants to set.
 */

/** The repository root: the child runs from here, as `npm start` does. */
export const repoRoot = resolve(__dirname, '../../../..');
export const API_MAIN = join(repoRoot, 'dist/apps/api/apps/api/src/main.js');

const READY_TIMEOUT_MS = 60_000;
const OUTPUT_LIMIT = 200_000;

/**
 * Every variable the API's config schema reads is dropped from the inherited environment
 * (a developer's shell, or Vitest's NODE_ENV=test), so the child sees exactly what the test
 * passes and the schema's defaults for the rest.
 */
const CONFIG_VARIABLES = new Set(Object.keys(envSchema.shape));

export interface ExitResult {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface ApiProcess {
  /** http://127.0.0.1:<port>, no trailing slash. */
  readonly url: string;
  readonly api: ApiClient;
  readonly pid: number;
  /** Everything the child printed so far (stdout and stderr), colours stripped. */
  output(): string;
  /** Resolves once `pattern` has appeared `count` times in the output; rejects with the output. */
  waitForOutput(pattern: RegExp, count?: number, timeoutMs?: number): Promise<void>;
  /** SIGTERM, then SIGKILL if it has not exited within `timeoutMs`. */
  stop(timeoutMs?: number): Promise<ExitResult>;
}

/** A port that was free a moment ago: listen on port 0, note what the OS picked, close. */
export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => (port > 0 ? resolvePort(port) : reject(new Error('no port from the OS'))));
    });
  });
}

function stripAnsi(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/\u001b\[[0-9;]*m/g, '');
}

function assertBuilt(): void {
  if (!existsSync(API_MAIN)) {
    throw new Error(
      `This test runs the built API, and ${API_MAIN} is missing. Build first: ` +
        'NX_DAEMON=false NX_NO_CLOUD=true npx nx run-many -t build --projects=contracts,api,web ' +
        '(`npm test` does it in its pretest script).',
    );
  }
}

function childEnv(env: Record<string, string>): NodeJS.ProcessEnv {
  const inherited: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!CONFIG_VARIABLES.has(key) && !key.startsWith('VITEST')) inherited[key] = value;
  }
  return { ...inherited, ...env };
}

function exited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

function waitForExit(child: ChildProcess, timeoutMs: number): Promise<ExitResult | undefined> {
  return new Promise((resolveExit) => {
    if (exited(child)) {
      resolveExit({ code: child.exitCode, signal: child.signalCode });
      return;
    }
    const onExit = (code: number | null, signal: NodeJS.Signals | null) => {
      clearTimeout(timer);
      resolveExit({ code, signal });
    };
    const timer = setTimeout(() => {
      child.off('exit', onExit);
      resolveExit(undefined);
    }, timeoutMs);
    child.once('exit', onExit);
  });
}

function launch(env: Record<string, string>): { child: ChildProcess; output: () => string } {
  assertBuilt();
  const child = spawn(process.execPath, [API_MAIN], {
    cwd: repoRoot,
    env: childEnv(env),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const collect = (chunk: Buffer) => {
    output = (output + stripAnsi(chunk.toString('utf8'))).slice(-OUTPUT_LIMIT);
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  // A test runner that dies must not leave API processes behind.
  const reap = () => {
    if (!exited(child)) child.kill('SIGKILL');
  };
  process.once('exit', reap);
  child.once('exit', () => process.off('exit', reap));
  return { child, output: () => output };
}

/**
 * Starts the built API on a loopback port of the kernel's choosing (PORT=0, read back from the
 * `ready at` line: a port probed free beforehand could be taken by another process during the
 * seconds of start-up) and resolves once it logs `ready at`.
 * `env` must hold DATABASE_URL and JWT_SECRET; HOST, PORT, NODE_ENV=production, LOG_LEVEL=log,
 * DEMO_SEED=false, OPERATOR_EMAILS=TEST_OPERATOR_EMAIL, LOG_REQUESTS=false and a WEB_DIST_DIR without a build are set unless `env` says otherwise.
 */
export async function spawnApi(env: Record<string, string>): Promise<ApiProcess> {
  const { child, output } = launch({
    NODE_ENV: 'production',
    HOST: '127.0.0.1',
    PORT: '0',
    LOG_LEVEL: 'log',
    DEMO_SEED: 'false',
    OPERATOR_EMAILS: TEST_OPERATOR_EMAIL,
    // The output is searched for the app's own messages: no request lines in between.
    LOG_REQUESTS: 'false',
    WEB_DIST_DIR: '/nonexistent',
    ...env,
  });
  let url = `http://127.0.0.1:${env.PORT ?? '(starting)'}`;
  const describeOutput = () =>
    `\n--- API output (pid ${child.pid}, ${url}) ---\n${output()}\n--- end ---`;

  const count = (pattern: RegExp) =>
    output().match(
      new RegExp(pattern.source, pattern.flags.includes('g') ? pattern.flags : `${pattern.flags}g`),
    )?.length ?? 0;

  const waitForOutput = (pattern: RegExp, times = 1, timeoutMs = 15_000): Promise<void> =>
    new Promise((resolveWait, reject) => {
      const check = () => {
        if (count(pattern) >= times) {
          done();
          resolveWait();
        } else if (exited(child)) {
          done();
          reject(
            new Error(`The API exited while waiting for ${String(pattern)}.${describeOutput()}`),
          );
        }
      };
      const timer = setTimeout(() => {
        done();
        reject(
          new Error(
            `${String(pattern)} did not appear ${times} time(s) within ${timeoutMs} ms.${describeOutput()}`,
          ),
        );
      }, timeoutMs);
      const done = () => {
        clearTimeout(timer);
        child.stdout?.off('data', check);
        child.stderr?.off('data', check);
        child.off('exit', check);
      };
      child.stdout?.on('data', check);
      child.stderr?.on('data', check);
      child.once('exit', check);
      check();
    });

  const stop = async (timeoutMs = 10_000): Promise<ExitResult> => {
    if (!exited(child)) child.kill('SIGTERM');
    const result = await waitForExit(child, timeoutMs);
    if (result) return result;
    child.kill('SIGKILL');
    return (await waitForExit(child, 5_000)) ?? { code: null, signal: 'SIGKILL' };
  };

  try {
    await waitForOutput(/ready at http:\/\/\S+/, 1, READY_TIMEOUT_MS);
  } catch (error) {
    await stop(2_000);
    throw error;
  }
  const port = /ready at http:\/\/[^\s/]+:(\d+)/.exec(output())?.[1];
  if (!port) {
    await stop(2_000);
    throw new Error(`No port in the API's ready line.${describeOutput()}`);
  }
  url = `http://127.0.0.1:${port}`;
  return {
    url,
    api: new ApiClient(url),
    pid: child.pid ?? -1,
    output,
    waitForOutput,
    stop,
  };
}

/**
 * Runs the built API with `env` and waits for it to exit on its own (a configuration it
 * must refuse); kills it and rejects if it is still running after `timeoutMs`.
 */
export async function runApiToExit(
  env: Record<string, string>,
  timeoutMs = 20_000,
): Promise<ExitResult & { output: string }> {
  const { child, output } = launch({
    NODE_ENV: 'production',
    HOST: '127.0.0.1',
    PORT: '0',
    LOG_LEVEL: 'log',
    DEMO_SEED: 'false',
    WEB_DIST_DIR: '/nonexistent',
    ...env,
  });
  const result = await waitForExit(child, timeoutMs);
  if (!result) {
    child.kill('SIGKILL');
    await waitForExit(child, 5_000);
    throw new Error(`The API was still running after ${timeoutMs} ms:\n${output()}`);
  }
  return { ...result, output: output() };
}
