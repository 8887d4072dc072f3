import { join } from 'node:path';
import { withClient } from './database.js';
import { runNode } from './processes.js';
import { duration, thousands } from './stats.js';

/**
 * The one dataset of a run, written by the API's own seed CLI (deterministic:
 * fixed seeds and a fixed "now"), so the harness never duplicates the schema.
 * Workspaces are told apart afterwards by reading which ids each seed added.
 */

export const SEED_CLI = 'dist/apps/api/apps/api/src/cli/seed.js';
export const OWNER = {
  email: 'bench@example.com',
  password: 'bench-password',
  name: 'Bench Owner',
};
/** Fixed "now" of the seeded timestamps: the same rows on every run. */
export const ANCHOR = '2026-01-01T12:00:00.000Z';

/** Per workspace, like the seed CLI's flags. */
export interface Shape {
  workspaces: number;
  agents: number;
  settings: number;
  deliverables: number;
  processes: number;
  steps: number;
  goals: number;
}

/** The default: 20 workspaces of 50 agents × 5 settings, 200 deliverables, 50 processes × 40 steps. */
export const MAIN_SHAPE: Shape = {
  workspaces: 20,
  agents: 50,
  settings: 5,
  deliverables: 200,
  processes: 50,
  steps: 40,
  goals: 5,
};
/** Keyset page 500 at 20 a page: 10,020 processes (without steps: the page is what is measured). */
export const PAGING_SHAPE: Shape = {
  workspaces: 1,
  agents: 1,
  settings: 0,
  deliverables: 0,
  processes: 10_020,
  steps: 0,
  goals: 0,
};
/** A scale-curve point: one workspace holding `steps` thinking steps, 100 per process. */
export function scaleShape(steps: number): Shape {
  return {
    workspaces: 1,
    agents: 10,
    settings: 5,
    deliverables: 20,
    processes: Math.max(1, Math.round(steps / 100)),
    steps: 100,
    goals: 5,
  };
}

export function describeShape(s: Shape): string {
  return (
    `${s.workspaces} workspace${s.workspaces === 1 ? '' : 's'} × (${s.agents} agents × ${s.settings} settings, ` +
    `${thousands(s.deliverables)} deliverables, ${thousands(s.processes)} processes × ${s.steps} steps, ${s.goals} goals)`
  );
}

export interface Seeded {
  workspaceIds: string[];
  ms: number;
  rows: number;
}

let nextSeed = 1;

/** Runs the seed CLI once with `shape`; returns the workspaces it added, oldest first. */
export async function seed(
  root: string,
  databaseUrl: string,
  env: NodeJS.ProcessEnv,
  shape: Shape,
  log: (line: string) => void,
  timeoutMs = 600_000,
): Promise<Seeded> {
  const before = new Set(await workspaceIds(databaseUrl));
  const started = performance.now();
  const seedNumber = nextSeed++;
  const output = await runNode(
    `seed ${seedNumber}`,
    join(root, SEED_CLI),
    [
      ...['--workspaces', shape.workspaces, '--agents', shape.agents, '--settings', shape.settings],
      ...['--deliverables', shape.deliverables, '--processes', shape.processes],
      ...['--steps', shape.steps, '--goals', shape.goals, '--seed', seedNumber],
      ...['--anchor', ANCHOR, '--email', OWNER.email, '--password', OWNER.password],
      ...['--name', OWNER.name],
    ].map(String),
    { cwd: root, env: { ...env, DATABASE_URL: databaseUrl }, timeoutMs },
  );
  const ms = performance.now() - started;
  const rows = Number((/total\s+([\d,]+)/.exec(output)?.[1] ?? '0').replace(/,/g, ''));
  const added = (await workspaceIds(databaseUrl)).filter((id) => !before.has(id));
  if (added.length !== shape.workspaces) {
    throw new Error(`the seed added ${added.length} workspaces, expected ${shape.workspaces}`);
  }
  log(`seeded ${describeShape(shape)}: ${thousands(rows)} rows in ${duration(ms)}`);
  return { workspaceIds: added, ms, rows };
}

/** The workspaces there are, oldest first; none before the first seed has migrated the schema. */
function workspaceIds(databaseUrl: string): Promise<string[]> {
  return withClient(databaseUrl, async (client) => {
    const exists = await client.query<{ t: string | null }>(
      "SELECT to_regclass('workspaces') AS t",
    );
    if (!exists.rows[0]?.t) return [];
    const result = await client.query<{ id: string }>(
      'SELECT id FROM workspaces ORDER BY created_at, id',
    );
    return result.rows.map((r) => r.id);
  });
}

/** Rows in thinking_steps now, for the scale curve's labels. */
export function stepRows(databaseUrl: string): Promise<number> {
  return withClient(databaseUrl, async (client) => {
    const result = await client.query<{ n: string }>(
      'SELECT count(*)::bigint AS n FROM thinking_steps',
    );
    return Number(result.rows[0]?.n ?? 0);
  });
}
