import { join } from 'node:path';
import type { Cleanup } from './cleanup.js';
import { CpuMeter } from './cpu.js';
import { HttpTarget } from './http.js';
import { freePort, NodeChild, waitUntilHealthy } from './processes.js';
import { duration } from './stats.js';

export const API_MAIN = 'dist/apps/api/apps/api/src/main.js';

/**
 * The API processes of a run, the same build: every optimization off or on, and (for the
 * mixed workload only) everything on but the display queue, the mode that transforms
 * display content on the read path (docs/display-content.md).
 */
export type ApiSide = 'baseline' | 'optimized' | 'on-read';
export const API_SIDES: readonly ('baseline' | 'optimized')[] = ['baseline', 'optimized'];
export const OPTIMIZATIONS: Record<ApiSide, string> = {
  baseline: 'none',
  optimized: 'all',
  'on-read': '-display-queue',
};
/** What the on-read side leaves off. */
const ON_READ_OFF = 'display-queue';

/**
 * Runs inside each API process (`node -e`) before its main module: answers
 * "memory" over the IPC channel with the heap and RSS after full collections.
 * Nothing else of the bench is loaded there, and it costs nothing until asked.
 */
const MEMORY_PROBE = `
process.on('message', (m) => {
  if (!m || m.type !== 'memory') return;
  for (let i = 0; i < 3; i++) global.gc();
  const u = process.memoryUsage();
  process.send({ type: 'memory', id: m.id, heapUsed: u.heapUsed, rss: u.rss });
});
process.channel.unref();
`;

export interface Memory {
  heapUsed: number;
  rss: number;
}

export interface Api {
  side: ApiSide;
  child: NodeChild;
  target: HttpTarget;
  origin: string;
  meter: CpuMeter;
  /** The AI provider key this process calls the fake provider with (its calls are counted per key). */
  aiKey: string;
  /** What GET /api/performance/optimizations reported switched on. */
  enabled: string[];
  /** Every optimization the build knows, from the same answer. */
  known: string[];
  memory(): Promise<Memory>;
}

/**
 * Starts the built API with OPTIMIZATIONS=none or all on a free port, waits for
 * /api/health, and stops it in the cleanup. Both processes are started the same
 * way (the memory probe included), so nothing but the switches tells them apart.
 */
export async function startApi(
  root: string,
  side: ApiSide,
  env: NodeJS.ProcessEnv,
  cleanup: Cleanup,
  postmasterPid: number | undefined,
  log: (line: string) => void,
): Promise<Api> {
  const port = await freePort();
  const aiKey = `bench-${side}`;
  const child = new NodeChild(
    `api ${side} (OPTIMIZATIONS=${OPTIMIZATIONS[side]})`,
    ['--expose-gc', '-e', `${MEMORY_PROBE}\nrequire(${JSON.stringify(join(root, API_MAIN))});`],
    {
      cwd: root,
      env: {
        ...env,
        OPTIMIZATIONS: OPTIMIZATIONS[side],
        PORT: String(port),
        HOST: '127.0.0.1',
        AI_API_KEY: aiKey,
      },
      ipc: true,
    },
  );
  cleanup.add(child.name, () => child.stop());
  const origin = `http://127.0.0.1:${port}`;
  const target = new HttpTarget(new URL(origin), 16);
  cleanup.add(`${child.name} client`, async () => target.close());
  const started = performance.now();
  await waitUntilHealthy(child, target, 90_000);
  log(`${child.name} ready on port ${port} (${duration(performance.now() - started)})`);
  return {
    side,
    child,
    target,
    origin,
    meter: new CpuMeter(child.process.pid, postmasterPid),
    aiKey,
    enabled: [],
    known: [],
    memory: async () => {
      const m = await child.ask<Memory>({ type: 'memory' }, 30_000);
      return { heapUsed: m.heapUsed, rss: m.rss };
    },
  };
}

interface OptimizationsAnswer {
  optimizations: { name: string; enabled: boolean }[];
  rateLimits?: { tier: string; limit: number; windowSeconds: number }[];
}

/**
 * Signs in (the token is valid on every API process of the run: one JWT_SECRET)
 * and checks what the process says it runs with: nothing on for the baseline,
 * every optimization the build lists for the optimized one. The names come from
 * the API, so a new optimization is measured without changing the harness.
 */
export async function checkSwitches(api: Api, token: string): Promise<OptimizationsAnswer> {
  api.target.token = token;
  const state = await api.target.json<OptimizationsAnswer>('GET', '/api/performance/optimizations');
  api.known = state.optimizations.map((o) => o.name);
  api.enabled = state.optimizations.filter((o) => o.enabled).map((o) => o.name);
  const wanted =
    api.side === 'baseline'
      ? []
      : api.side === 'on-read'
        ? api.known.filter((n) => n !== ON_READ_OFF)
        : api.known;
  if (api.enabled.length !== wanted.length || wanted.some((n) => !api.enabled.includes(n))) {
    throw new Error(`${api.child.name} reports ${api.enabled.join(', ') || 'nothing'} switched on`);
  }
  return state;
}

/** Round trips since start, from /api/performance/metrics (undefined if the API stops saying). */
export async function databaseQueries(api: Api): Promise<number | undefined> {
  const metrics = await api.target.json<{ database?: { queries?: unknown } }>(
    'GET',
    '/api/performance/metrics',
  );
  const n = metrics.database?.queries;
  return typeof n === 'number' ? n : undefined;
}

/** What an API process said last, for a failure message. */
export function describeApi(api: Api): string {
  const { exitCode, signalCode } = api.child.process;
  const state = api.child.running
    ? 'running'
    : signalCode
      ? `killed by ${signalCode}`
      : `exited with ${exitCode}`;
  return `${api.child.name}, ${state}; its last output:\n${api.child.output(20) || '    (none)'}`;
}
