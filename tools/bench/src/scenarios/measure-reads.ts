import { type Captured, type Ceiling, capture, verifySql } from '../ceiling/control.js';
import { API_SIDES, type ApiSide } from '../lib/api.js';
import type { FakeProvider } from '../lib/fake-provider.js';
import type { Request } from '../lib/load.js';
import {
  alternate,
  type Leg,
  type LegResult,
  type LegRound,
  type RoundSettings,
  type Side,
} from '../lib/rounds.js';
import { canonicalJson } from '../lib/stats.js';
import type { Context, ReadScenario } from './types.js';

export interface ReadResult {
  name: string;
  title: string;
  doc: string;
  path: string;
  /** Body size of the optimized answer (the bytes the ceiling serves). */
  bytes: number;
  /** The baseline and the optimized API answered the same (JSON, keys sorted). */
  sameAnswer: boolean;
  /** The SQL ceiling's answer, compared at start: same JSON always (or the run stops), same bytes? */
  sql?: { path: string; mirror: string; sameBytes: boolean };
  legs: LegResult[];
}

export interface ReadSettings {
  fast: RoundSettings;
  /** For the scenarios whose requests take seconds (the AI provider on). */
  slow: RoundSettings;
}

/** The request every side gets: the API's path, or the ceiling's route for the same answer. */
function request(ctx: Context, path: string): Request {
  return {
    method: 'GET',
    path,
    headers: {
      accept: 'application/json',
      authorization: `Bearer ${ctx.apis.optimized.target.token ?? ''}`,
    },
  };
}

/**
 * Before anything is measured: each scenario's preparation, its answer checked
 * on both APIs and compared between them, and the optimized answer captured
 * for the ceiling.
 */
export async function prepareReads(
  ctx: Context,
  scenarios: readonly ReadScenario[],
): Promise<{ captured: Map<string, Captured>; same: Map<string, boolean> }> {
  const captured = new Map<string, Captured>();
  const same = new Map<string, boolean>();
  for (const scenario of scenarios) {
    ctx.signal.throwIfAborted();
    await scenario.prepare?.(ctx);
    const path = scenario.path(ctx);
    const answers = {} as Record<ApiSide, Captured>;
    for (const side of API_SIDES) {
      answers[side] = await capture(ctx.apis[side], { method: 'GET', path });
      const problem = scenario.check(JSON.parse(answers[side].body.toString('utf8')), ctx);
      if (problem) throw new Error(`${scenario.name} (${side}): ${problem}`);
    }
    const comparable = scenario.comparable ?? ((body: unknown) => body);
    const [a, b] = API_SIDES.map((side) =>
      canonicalJson(comparable(JSON.parse(answers[side].body.toString('utf8')))),
    );
    same.set(scenario.name, a === b);
    if (a !== b)
      ctx.log(`WARNING: ${scenario.name}: the baseline and the optimized API answered differently`);
    captured.set(scenario.name, answers.optimized);
  }
  return { captured, same };
}

export async function measureReads(
  ctx: Context,
  scenarios: readonly ReadScenario[],
  prepared: { captured: Map<string, Captured>; same: Map<string, boolean> },
  ceiling: Ceiling,
  fake: FakeProvider,
  settings: ReadSettings,
  onRound: (scenario: string, side: Side, round: number, r: LegRound) => void,
): Promise<ReadResult[]> {
  const results: ReadResult[] = [];
  for (const scenario of scenarios) {
    const path = scenario.path(ctx);
    const captured = prepared.captured.get(scenario.name)!;
    const legs: Leg[] = API_SIDES.map((side) => ({
      side,
      origin: ctx.apis[side].origin,
      request: request(ctx, path),
      meter: ctx.apis[side].meter,
      aiCalls: () => fake.calls(ctx.apis[side].aiKey),
    }));
    legs.push({
      side: 'ceiling',
      origin: ceiling.origin,
      request: request(ctx, `/bytes/${scenario.name}`),
      meter: ceiling.meter,
    });
    let sql: ReadResult['sql'];
    if (scenario.sql) {
      const sqlPath = scenario.sql.path(ctx);
      const check = await verifySql(ceiling, sqlPath, captured, scenario.sql.mirror);
      sql = { path: sqlPath, mirror: scenario.sql.mirror, sameBytes: check.sameBytes };
      legs.push({
        side: 'ceiling-sql',
        origin: ceiling.origin,
        request: request(ctx, sqlPath),
        meter: ceiling.meter,
      });
    }
    const measured = await alternate(
      legs,
      scenario.slow ? settings.slow : settings.fast,
      ctx.signal,
      (side, round, r) => onRound(scenario.name, side, round, r),
    );
    // Any answer but a 2xx means the setup is broken (a 429 would be the limits): not a figure.
    const failed = measured.filter((l) => l.summary.errors - l.summary.timeouts > 0);
    if (failed.length > 0) {
      throw new Error(
        `${scenario.name}: ${failed.map((l) => `${l.side} ${l.summary.errors} errors`).join(', ')}`,
      );
    }
    results.push({
      name: scenario.name,
      title: scenario.title,
      doc: scenario.doc,
      path,
      bytes: captured.body.length,
      sameAnswer: prepared.same.get(scenario.name) ?? false,
      sql,
      legs: measured,
    });
  }
  return results;
}
