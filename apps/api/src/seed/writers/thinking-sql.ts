import { THINKING_STEP_KINDS } from '@orch/contracts';
import type { ThinkingPlan } from '../planning/thinking.js';
import {
  FAILURE_STEPS,
  PROCESS_TITLES,
  STEP_FOLLOW_UPS,
  STEP_TEMPLATES,
} from '../pools/thinking.js';
import { SOURCES, TOPICS } from '../pools/topics.js';
import { sqlSeedUuid } from '../random.js';

/**
 * Thinking processes and steps are the bulk of a large seed (a million steps
 * and more), so they are generated inside Postgres, set-based: one statement
 * builds every process into a temporary table, one inserts them, one inserts
 * every step with `generate_series`. The phrase pools travel as array
 * parameters; `hashint8extended(n, salt)` is the deterministic dice.
 *
 * Two choices keep the step insert fast (measured on 2 cores, 1M steps,
 * PostgreSQL 15): steps are produced in process-id order, and a step's id is
 * its process id's first 80 bits followed by the 48-bit step number. Both
 * indexes on thinking_steps, the primary key and (process_id, created_at, id),
 * then grow at their right edge instead of taking random inserts: 11.9 s ->
 * 7.3 s for the statement on an otherwise idle server. About 40% of what is
 * left is the per-row foreign-key check on process_id, which stays on. The
 * whole CLI run (10 x 1,000 processes x 100 steps) measured 10.6-27 s while
 * other builds and tests loaded the machine (load average 2.5-6).
 */

/** The order steps cycle through within a process. */
export const STEP_KIND_CYCLE = THINKING_STEP_KINDS;

export interface SqlStatement {
  sql: string;
  params: unknown[];
}

/** How long the processes of one workspace span: up to 7 days, 2 hours apart when few. */
export function processWindowSeconds(processes: number): number {
  return Math.min(7 * 24 * 3600, processes * 2 * 3600);
}

/**
 * Builds `seed_processes` (dropped at commit): every process, with what its
 * steps need. Process p of a workspace starts (P - p) * window / P before the
 * anchor (plus jitter) and its steps end before the anchor. The latest few
 * (5%, at most one per agent, at least 2) are still running when their agent
 * is active or busy; about 7% of the rest failed.
 */
export function buildProcessTable(plan: ThinkingPlan): SqlStatement {
  const sql = `
    CREATE TEMP TABLE seed_processes ON COMMIT DROP AS
    WITH dice AS (
      SELECT w, p, hashint8extended(w::bigint * 4294967296 + p, $2::bigint) AS h
        FROM generate_series(1, cardinality($4::uuid[])) AS w
       CROSS JOIN generate_series(1, $5::int) AS p
    ), picked AS (
      SELECT w, p, h,
             (w - 1) * $7::int + 1 + ((h >> 24) & 65535) % $7::int AS agent_idx,
             1 + (h & 65535) % cardinality($10::text[]) AS topic_idx,
             1 + ((h >> 16) & 255) % cardinality($11::text[]) AS title_idx,
             1500 + ((h >> 40) & 8191) AS gap_ms,
             ((h >> 53) & 1023) / 1280.0 AS jitter,
             ((h >> 32) & 255) % 100 AS fail_roll
        FROM dice
    ), shaped AS (
      SELECT ${sqlSeedUuid(`$1::text || ':process:' || w || ':' || p`)} AS id,
             ($4::uuid[])[w] AS workspace_id,
             ($8::uuid[])[agent_idx] AS agent_id,
             ($10::text[])[topic_idx] AS topic,
             replace(($11::text[])[title_idx], '{topic}', ($10::text[])[topic_idx]) AS title,
             CASE
               WHEN p > $5::int - greatest(2, least($5::int / 20, $7::int))
                    AND ($9::text[])[agent_idx] IN ('active', 'busy') THEN 'running'
               WHEN fail_roll < 7 THEN 'failed'
               ELSE 'completed'
             END AS status,
             h AS step_salt,
             gap_ms,
             p, jitter
        FROM picked
    )
    SELECT id, workspace_id, agent_id, topic, title,
           status::thinking_process_status AS status,
           $6::int AS steps, step_salt, gap_ms,
           created_at,
           created_at + (($6::int + 1) * gap_ms) * interval '1 millisecond' AS updated_at
      FROM shaped
     CROSS JOIN LATERAL (
       SELECT date_trunc(
                'milliseconds',
                $3::timestamptz
                - (($5::int - p + CASE WHEN status = 'running' THEN 0 ELSE jitter END)
                   * $12::float8 / $5::int) * interval '1 second'
                - (($6::int + 1) * gap_ms) * interval '1 millisecond'
              ) AS created_at
     ) AS t
     ORDER BY id`;
  return {
    sql,
    params: [
      plan.idNamespace,
      plan.salt,
      plan.anchor.toISOString(),
      plan.workspaceIds,
      plan.processesPerWorkspace,
      plan.stepsPerProcess,
      plan.agentsPerWorkspace,
      plan.agentIds,
      plan.agentStatuses,
      TOPICS,
      PROCESS_TITLES,
      processWindowSeconds(plan.processesPerWorkspace),
    ],
  };
}

export const INSERT_PROCESSES = `
  INSERT INTO thinking_processes (id, workspace_id, agent_id, title, status, created_at, updated_at)
  SELECT id, workspace_id, agent_id, title, status, created_at, updated_at
    FROM seed_processes
   ORDER BY id`;

/**
 * Every step of every process in `seed_processes`. Step s of a process takes
 * kind s mod 5, and is created at created_at + s*gap + (a jitter below gap),
 * so steps are strictly ordered in time within their process.
 */
export function buildInsertSteps(): SqlStatement {
  const perKind = STEP_TEMPLATES[0].length;
  const followUpsPerKind = STEP_FOLLOW_UPS[0].length;
  if (
    STEP_TEMPLATES.length !== STEP_KIND_CYCLE.length ||
    STEP_FOLLOW_UPS.length !== STEP_KIND_CYCLE.length ||
    STEP_TEMPLATES.some((t) => t.length !== perKind) ||
    STEP_FOLLOW_UPS.some((t) => t.length !== followUpsPerKind)
  ) {
    throw new Error(
      'seed pools: every step kind needs the same number of templates and follow-ups',
    );
  }
  const sql = `
    INSERT INTO thinking_steps (id, process_id, kind, content, created_at)
    SELECT (left(sp.id::text, 24) || lpad(to_hex(s), 12, '0'))::uuid,
           sp.id,
           ($1::thinking_step_kind[])[1 + r.k],
           replace(replace(replace(replace(replace(
             CASE
               WHEN sp.status = 'failed' AND s = sp.steps
                 THEN ($4::text[])[1 + ((r.h >> 8) & 255) % cardinality($4::text[])]
               ELSE ($2::text[])[r.k * $6::int + 1 + ((r.h >> 20) & 1023) % $6::int]
                    || CASE WHEN ((r.h >> 30) & 7) < 3
                         THEN ($3::text[])[r.k * $7::int + 1 + ((r.h >> 33) & 255) % $7::int]
                         ELSE '' END
             END,
             '{topic}', sp.topic),
             '{source}', ($5::text[])[1 + ((r.h >> 41) & 255) % cardinality($5::text[])]),
             '{n}', (2 + ((r.h >> 49) & 127) % 48)::text),
             '{pct}', (5 + ((r.h >> 56) & 127) % 90)::text),
             '{m}', (100 + ((r.h >> 8) & 8191))::text),
           sp.created_at
             + (s * sp.gap_ms + ((r.h & 1048575) % sp.gap_ms)) * interval '1 millisecond'
      FROM seed_processes AS sp
     CROSS JOIN LATERAL generate_series(1, sp.steps) AS s
     CROSS JOIN LATERAL (SELECT hashint8extended(s, sp.step_salt) AS h, (s - 1) % 5 AS k) AS r`;
  return {
    sql,
    params: [
      STEP_KIND_CYCLE,
      STEP_TEMPLATES.flat(),
      STEP_FOLLOW_UPS.flat(),
      FAILURE_STEPS,
      SOURCES,
      perKind,
      followUpsPerKind,
    ],
  };
}
