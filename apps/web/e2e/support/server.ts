// The web tsconfig covers e2e/ with browser types only; this code runs in Node.

import { type ChildProcess, spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root: `npm start` runs from here, and relative defaults resolve against it. */
export const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url));

const MAIN = join(repoRoot, 'dist/apps/api/apps/api/src/main.js');
const WEB_INDEX = join(repoRoot, 'dist/apps/web/index.html');
const READY_TIMEOUT_MS = 90_000;
const OUTPUT_LIMIT = 200_000;

/**
 * Variables of the API's config schema that a developer's shell may have set. They are dropped
 * so the child starts with the defaults of a plain `npm start` (DATABASE_URL above all: unset
 * means the embedded PostgreSQL). NODE_ENV too: Vitest sets it to `test`.
 */
const INHERITED_CONFIG =
  /^(NODE_ENV|HOST|PORT|LOG_LEVEL|WEB_DIST_DIR|BODY_LIMIT_BYTES|SHUTDOWN_TIMEOUT_MS|DATABASE_URL|EMBEDDED_PG_.*|DB_.*|JWT_.*|DEMO_.*|TRUST_PROXY|REDIS_.*)$/;

export interface ExitResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  ms: number;
}

export interface RunningApp {
  /** http://127.0.0.1:<port>, no trailing slash. */
  url: string;
  pid: number;
  /** The embedded PostgreSQL's data directory. */
  pgDataDir: string;
  /** Everything the child printed so far, colours stripped. */
  output(): string;
  /** SIGTERM, then waits up to `timeoutMs` for the exit; rejects (with the output) on timeout. */
  stop(timeoutMs: number): Promise<ExitResult>;
  /** Last resort after a failed stop: kills the child and its PostgreSQL, removes the temp dir. */
  destroy(): Promise<void>;
}

/** A port that was free a moment ago: listen on port 0, note what the OS picked, close. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => (port > 0 ? resolve(port) : reject(new Error('no port from the OS'))));
    });
  });
}

function stripAnsi(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/\u001b\[[0-9;]*m/g, '');
}

function assertBuilt(): void {
  const missing = [MAIN, WEB_INDEX].filter((file) => !existsSync(file));
  if (missing.length > 0) {
    throw new Error(
      `The e2e test runs the built app, and ${missing.join(' and ')} ${missing.length > 1 ? 'are' : 'is'} missing.` +
        ' Build first: `npx nx run-many -t build --projects=contracts,api,web`' +
        ' (`npm test` does it in its pretest script).',
    );
  }
}

function exited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

function waitForExit(child: ChildProcess, timeoutMs: number): Promise<ExitResult | undefined> {
  const started = performance.now();
  return new Promise((resolve) => {
    if (exited(child)) {
      resolve({ code: child.exitCode, signal: child.signalCode, ms: 0 });
      return;
    }
    const timer = setTimeout(() => {
      child.off('exit', onExit);
      resolve(undefined);
    }, timeoutMs);
    const onExit = (code: number | null, signal: NodeJS.Signals | null) => {
      clearTimeout(timer);
      resolve({ code, signal, ms: Math.round(performance.now() - started) });
    };
    child.once('exit', onExit);
  });
}

/** The postmaster's pid, from the first line of postmaster.pid, while PostgreSQL runs. */
function postmasterPid(pgDataDir: string): number | undefined {
  try {
    const pid = Number(readFileSync(join(pgDataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

/** Config variables for this run (names from .env.example), on top of the test defaults. */
export type AppEnv = Record<string, string>;

/**
 * Starts the built app as `npm start` does (`node dist/apps/api/apps/api/src/main.js` from the
 * repository root) with no DATABASE_URL, so it starts its embedded PostgreSQL in a fresh temp
 * dir, migrates, seeds the demo user and serves API and web app on one free port.
 * Resolves once it logs `ready at`.
 */
export async function startApp(overrides: AppEnv = {}): Promise<RunningApp> {
  assertBuilt();

  const tempDir = mkdtempSync(join(tmpdir(), 'orch-e2e-'));
  // As root, PostgreSQL runs as the `postgres` user, which must be able to reach its data dir.
  chmodSync(tempDir, 0o755);
  // The local JWT secret file is written beside the data dir, i.e. into tempDir.
  const pgDataDir = join(tempDir, 'postgres');
  const [port, pgPort] = [await freePort(), await freePort()];

  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!INHERITED_CONFIG.test(key) && !key.startsWith('VITEST')) env[key] = value;
  }
  Object.assign(env, {
    HOST: '127.0.0.1',
    PORT: String(port),
    EMBEDDED_PG_DIR: pgDataDir,
    EMBEDDED_PG_PORT: String(pgPort),
    LOG_LEVEL: 'log',
    // The page must match what the API said a moment before: no simulated activity.
    DEMO_ACTIVITY: 'off',
    ...overrides,
  });

  const child = spawn(process.execPath, [MAIN], {
    cwd: repoRoot,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const collect = (chunk: Buffer) => {
    output = (output + stripAnsi(chunk.toString('utf8'))).slice(-OUTPUT_LIMIT);
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);

  const describeOutput = () =>
    `\n--- app output (${MAIN}, PORT=${port}, EMBEDDED_PG_PORT=${pgPort}) ---\n${output}\n--- end ---`;

  let removed = false;
  const removeTempDir = () => {
    if (removed) return;
    removed = true;
    rmSync(tempDir, { recursive: true, force: true });
  };

  const destroy = async (): Promise<void> => {
    if (!exited(child)) {
      child.kill('SIGKILL');
      await waitForExit(child, 5_000);
    }
    // A killed app leaves its PostgreSQL running: SIGQUIT is its immediate shutdown.
    const pgPid = postmasterPid(pgDataDir);
    if (pgPid !== undefined) {
      try {
        process.kill(pgPid, 'SIGQUIT');
      } catch {
        // already gone
      }
      const deadline = Date.now() + 5_000;
      while (postmasterPid(pgDataDir) !== undefined && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
    removeTempDir();
  };

  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`The app did not log "ready at" within ${READY_TIMEOUT_MS / 1000} s.`));
      }, READY_TIMEOUT_MS);
      const onData = () => {
        if (/ready at http:\/\/\S+/.test(output)) {
          cleanup();
          resolve();
        }
      };
      const onExit = (code: number | null, signal: NodeJS.Signals | null) => {
        cleanup();
        reject(new Error(`The app exited before it was ready (code ${code}, signal ${signal}).`));
      };
      const onError = (error: Error) => {
        cleanup();
        reject(new Error(`Could not start the app: ${error.message}`));
      };
      const cleanup = () => {
        clearTimeout(timer);
        child.stdout?.off('data', onData);
        child.off('exit', onExit);
        child.off('error', onError);
      };
      child.stdout?.on('data', onData);
      child.once('exit', onExit);
      child.once('error', onError);
    });
  } catch (error) {
    await destroy();
    const message = error instanceof Error ? error.message : String(error);
    throw new Error(`${message}${describeOutput()}`, { cause: error });
  }

  return {
    url: `http://127.0.0.1:${port}`,
    pid: child.pid ?? -1,
    pgDataDir,
    output: () => output,
    stop: async (timeoutMs) => {
      if (!exited(child)) child.kill('SIGTERM');
      const result = await waitForExit(child, timeoutMs);
      if (!result) {
        throw new Error(
          `The app did not exit within ${timeoutMs} ms of SIGTERM.${describeOutput()}`,
        );
      }
      return result;
    },
    destroy,
  };
}
