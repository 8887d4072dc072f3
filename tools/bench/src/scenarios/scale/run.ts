import { API_SIDES, type ApiSide } from '../../lib/api.js';
import { scaleShape, seed, stepRows } from '../../lib/dataset.js';
import type { Request } from '../../lib/load.js';
import { alternate, type LegResult, type RoundSettings } from '../../lib/rounds.js';
import { thousands } from '../../lib/stats.js';
import { thinkingCheck } from '../thinking/scenario.js';
import type { Context } from '../types.js';

export interface ScalePoint {
  /** Thinking steps in the measured workspace. */
  steps: number;
  processes: number;
  /** Rows in thinking_steps over every workspace when the point was measured. */
  tableRows: number;
  seedMs: number;
  reads: { name: 'thinking' | 'dashboard'; sides: Record<ApiSide, LegResult> }[];
}

export interface ScaleSettings {
  points: number[];
  rounds: RoundSettings;
}

/**
 * The scale curve: for each size, a workspace holding that many thinking
 * steps (100 per process) is added by the seed CLI, and its thinking list
 * (10 × 20) and dashboard are read one request at a time (c=1), baseline and
 * optimized in alternating rounds. The table keeps every earlier point's rows,
 * so thinking_steps grows a little faster than the points.
 */
export async function runScale(
  ctx: Context,
  root: string,
  databaseUrl: string,
  env: NodeJS.ProcessEnv,
  s: ScaleSettings,
  log: (line: string) => void,
): Promise<ScalePoint[]> {
  const points: ScalePoint[] = [];
  for (const steps of s.points) {
    ctx.signal.throwIfAborted();
    const shape = scaleShape(steps);
    const seeded = await seed(root, databaseUrl, env, shape, log, 1_800_000);
    const workspaceId = seeded.workspaceIds[0];
    const tableRows = await stepRows(databaseUrl);
    const reads: ScalePoint['reads'] = [];
    const paths = {
      thinking: `/api/workspaces/${workspaceId}/thinking?processes=10&stepsPerProcess=20`,
      dashboard: `/api/workspaces/${workspaceId}/dashboard`,
    };
    for (const name of ['thinking', 'dashboard'] as const) {
      const request: Request = {
        method: 'GET',
        path: paths[name],
        headers: {
          accept: 'application/json',
          authorization: `Bearer ${ctx.apis.optimized.target.token ?? ''}`,
        },
      };
      for (const side of API_SIDES) {
        const body = await ctx.apis[side].target.json<unknown>('GET', paths[name]);
        const problem =
          name === 'thinking'
            ? thinkingCheck(10, 20)(body)
            : (body as { counts?: { thinkingProcesses?: number } }).counts?.thinkingProcesses ===
                shape.processes
              ? undefined
              : `the dashboard does not count ${shape.processes} processes`;
        if (problem) throw new Error(`scale ${thousands(steps)}, ${name} (${side}): ${problem}`);
      }
      const legs = await alternate(
        API_SIDES.map((side) => ({
          side,
          origin: ctx.apis[side].origin,
          request,
          meter: ctx.apis[side].meter,
        })),
        s.rounds,
        ctx.signal,
        () => undefined,
      );
      const sides = Object.fromEntries(legs.map((l) => [l.side, l])) as Record<ApiSide, LegResult>;
      reads.push({ name, sides });
      log(
        `scale ${thousands(steps)} steps, ${name}: p50 ${sides.baseline.summary.p50.median.toFixed(2)} → ` +
          `${sides.optimized.summary.p50.median.toFixed(2)} ms (baseline → optimized, c=1)`,
      );
    }
    points.push({ steps, processes: shape.processes, tableRows, seedMs: seeded.ms, reads });
  }
  return points;
}
