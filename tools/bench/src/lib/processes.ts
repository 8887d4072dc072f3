import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import type { HttpTarget } from './http.js';

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

const live = new Set<ChildProcess>();

/** The node binary children run on: the harness's own unless `--node` named another. */
let childNode = process.execPath;

/** For `--node`: checks the binary runs and answers its version (e.g. `v24.11.1`). */
export function useNode(path: string): string {
  const version = execFileSync(path, ['--version'], { encoding: 'utf8' }).trim();
  if (!/^v\d+\.\d+\.\d+/.test(version)) throw new Error(`--node ${path}: not node (${version})`);
  childNode = path;
  return version;
}

// Last resort if the bench dies without its cleanup: no orphaned API servers.
process.on('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});

export interface ChildOptions {
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** Open an IPC channel (process.send) to the child. */
  ipc?: boolean;
}

/**
 * A child `node` process whose output is kept (last lines) instead of printed.
 * `argv` is everything after `node`: a script and its arguments, or flags and `-e code`.
 */
export class NodeChild {
  readonly process: ChildProcess;
  readonly exited: Promise<number | null>;
  private readonly lines: string[] = [];
  private asked = 0;

  constructor(
    readonly name: string,
    argv: string[],
    options: ChildOptions,
  ) {
    this.process = spawn(childNode, argv, {
      cwd: options.cwd,
      env: options.env,
      stdio: options.ipc ? ['ignore', 'pipe', 'pipe', 'ipc'] : ['ignore', 'pipe', 'pipe'],
    });
    live.add(this.process);
    const keep = (chunk: Buffer) => {
      for (const line of chunk.toString('utf8').split('\n')) {
        if (line.trim() === '') continue;
        this.lines.push(line);
        if (this.lines.length > 200) this.lines.shift();
      }
    };
    this.process.stdout?.on('data', keep);
    this.process.stderr?.on('data', keep);
    this.exited = new Promise((resolve) => {
      this.process.once('exit', (code, signal) => {
        live.delete(this.process);
        resolve(code ?? (signal ? null : 0));
      });
      this.process.once('error', (error) => {
        live.delete(this.process);
        this.lines.push(`spawn failed: ${error.message}`);
        resolve(null);
      });
    });
  }

  get running(): boolean {
    return this.process.exitCode === null && this.process.signalCode === null;
  }

  output(last = 40): string {
    return this.lines
      .slice(-last)
      .map((l) => `    ${l}`)
      .join('\n');
  }

  /** SIGTERM (the API shuts down gracefully), SIGKILL if it is still there after 15 s. */
  async stop(): Promise<void> {
    if (!this.running) return;
    this.process.kill('SIGTERM');
    const timer = setTimeout(() => this.process.kill('SIGKILL'), 15_000);
    await this.exited;
    clearTimeout(timer);
  }

  /** A message over the IPC channel answered by one whose `id` matches (see lib/api.ts). */
  ask<T>(message: { type: string }, timeoutMs: number): Promise<T> {
    const id = ++this.asked;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.process.off('message', onMessage);
        reject(new Error(`${this.name}: no answer to "${message.type}" within ${timeoutMs} ms`));
      }, timeoutMs);
      const onMessage = (answer: unknown) => {
        const m = answer as { type?: string; id?: number } | null;
        if (m?.type !== message.type || m.id !== id) return;
        clearTimeout(timer);
        this.process.off('message', onMessage);
        resolve(answer as T);
      };
      this.process.on('message', onMessage);
      this.process.send({ ...message, id });
    });
  }
}

/** Runs a node script to its end; throws with its output when it fails or overruns. */
export async function runNode(
  name: string,
  script: string,
  args: string[],
  options: { cwd: string; env: NodeJS.ProcessEnv; timeoutMs: number },
): Promise<string> {
  const child = new NodeChild(name, [script, ...args], options);
  const timer = setTimeout(() => child.process.kill('SIGKILL'), options.timeoutMs);
  const code = await child.exited;
  clearTimeout(timer);
  if (code !== 0) {
    throw new Error(`${name} exited with ${code ?? 'a signal'}:\n${child.output()}`);
  }
  return child.output(200);
}

/** A TCP port that was free a moment ago on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => (port > 0 ? resolve(port) : reject(new Error('no free port'))));
    });
  });
}

/** Polls GET /api/health until it answers 200; fails when the child exits or time runs out. */
export async function waitUntilHealthy(
  child: NodeChild,
  target: HttpTarget,
  timeoutMs: number,
): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  let last = 'no answer yet';
  while (performance.now() < deadline) {
    if (!child.running) {
      throw new Error(`${child.name} exited during start-up:\n${child.output()}`);
    }
    try {
      const reply = await target.send('GET', '/api/health', undefined, 2_000);
      if (reply.status === 200) return;
      last = `health answered ${reply.status}`;
    } catch (error) {
      last = error instanceof Error ? error.message : String(error);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(
    `${child.name} was not healthy within ${timeoutMs} ms (${last}):\n${child.output()}`,
  );
}
