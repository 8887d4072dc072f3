import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Api } from '../lib/api.js';
import type { Cleanup } from '../lib/cleanup.js';
import { CpuMeter } from '../lib/cpu.js';
import { HttpTarget } from '../lib/http.js';
import type { Request } from '../lib/load.js';
import { freePort, NodeChild, waitUntilHealthy } from '../lib/processes.js';
import { canonicalJson } from '../lib/stats.js';
import type { CeilingRoutes } from './server.js';

export const CEILING_JS = 'dist/tools/bench/src/ceiling/server.js';

export interface Captured {
  contentType: string;
  body: Buffer;
}

export interface Ceiling {
  origin: string;
  child: NodeChild;
  meter: CpuMeter;
}

/** The optimized API's answer to `request`, as the load generator receives it (status 200 expected). */
export async function capture(api: Api, request: Request): Promise<Captured> {
  const reply = await api.target.send(request.method, request.path);
  if (reply.status !== 200) {
    throw new Error(
      `${request.method} ${request.path} answered ${reply.status}: ${reply.body.toString('utf8').slice(0, 300)}`,
    );
  }
  const type = reply.headers['content-type'];
  return { contentType: typeof type === 'string' ? type : 'application/json', body: reply.body };
}

/** Starts the bare Fastify with the captured bodies (and the SQL routes on `databaseUrl`). */
export async function startCeiling(
  root: string,
  bytes: Map<string, Captured>,
  databaseUrl: string,
  env: NodeJS.ProcessEnv,
  cleanup: Cleanup,
  postmasterPid: number | undefined,
): Promise<Ceiling> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-ceiling-'));
  cleanup.add('ceiling routes', async () => rmSync(dir, { recursive: true, force: true }));
  const routes: CeilingRoutes = {
    bytes: [...bytes].map(([name, c]) => ({
      name,
      contentType: c.contentType,
      base64: c.body.toString('base64'),
    })),
  };
  const file = join(dir, 'routes.json');
  writeFileSync(file, JSON.stringify(routes));
  const port = await freePort();
  const child = new NodeChild(
    'ceiling (bare Fastify)',
    [join(root, CEILING_JS), String(port), file, databaseUrl],
    { cwd: root, env: { ...env, NODE_ENV: 'production' } },
  );
  cleanup.add(child.name, () => child.stop());
  const origin = `http://127.0.0.1:${port}`;
  const probe = new HttpTarget(new URL(origin), 1);
  try {
    await waitUntilHealthy(child, probe, 30_000);
  } finally {
    probe.close();
  }
  return { origin, child, meter: new CpuMeter(child.process.pid, postmasterPid) };
}

/**
 * The SQL ceiling must answer what the API answers, or it measures something
 * else: compared as JSON with sorted keys (and reported whether the bytes are
 * identical too). A difference stops the run, naming the mirror to update.
 */
export async function verifySql(
  ceiling: Ceiling,
  path: string,
  api: Captured,
  mirror: string,
): Promise<{ sameBytes: boolean; bytes: number }> {
  const target = new HttpTarget(new URL(ceiling.origin), 1);
  try {
    const reply = await target.send('GET', path);
    if (reply.status !== 200) {
      throw new Error(
        `the SQL ceiling answered ${reply.status} to ${path}: ${reply.body.toString('utf8').slice(0, 300)}`,
      );
    }
    const ours = canonicalJson(JSON.parse(reply.body.toString('utf8')));
    const theirs = canonicalJson(JSON.parse(api.body.toString('utf8')));
    if (ours !== theirs) {
      throw new Error(
        `the SQL ceiling ${path} no longer answers what the API answers: update ${mirror} to ` +
          `mirror the API's repository and mapper again.\n  API:     ${theirs.slice(0, 400)}\n  ceiling: ${ours.slice(0, 400)}`,
      );
    }
    return { sameBytes: reply.body.equals(api.body), bytes: reply.body.length };
  } finally {
    target.close();
  }
}
