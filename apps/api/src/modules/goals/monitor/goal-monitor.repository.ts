import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { AgentStatus, GoalStatus } from '@orch/contracts';
import { type DataSource, type EntityManager, In } from 'typeorm';
import { GoalEntity } from '../entities/goal.entity.js';
import type { GoalEvaluation, GoalFacts } from './goal-evaluator.js';

/** What can make an event worth a check (docs/goal-monitor.md, "Which events count"). */
export type CheckRelevance =
  /** A deliverable created or edited, a goal created or edited: always. */
  | { kind: 'any' }
  /** A thinking step: only while a goal is stalled. */
  | { kind: 'step' }
  /** An agent's update: only if a goal watches it and it went down or came back. */
  | { kind: 'agent'; agentId: string; down: boolean };

export interface ClaimedCheck {
  workspaceId: string;
  intervalMs: number;
  /** Set: an event asked for this check. */
  requestedAt: Date | null;
  /** An instance was promised a check no earlier than this (see CheckRequests). */
  coveredUntil: Date | null;
}

export interface CheckResult {
  intervalMs: number;
  nextCheckAt: number;
  checkedAt: number;
  /** Still owed to a request made for a later time: a check is due then, as if requested. */
  owedAt: number | null;
  watchedAgentIds: string[];
  downAgentIds: string[];
  stalled: boolean;
}

interface FactsRow {
  id: string;
  status: GoalStatus;
  progress: number;
  status_reason: string | null;
  agent_ids: string[];
  target_deliverables: number | null;
  window_hours: number;
  created_at: Date;
  agents: { id: string; status: AgentStatus }[];
  delivered: number;
  last_deliverable_at: Date | null;
  last_step_at: Date | null;
}

/**
 * The goal monitor's SQL: the schedule rows (goal_schedules), the claim on a
 * due check, and the facts a check evaluates. Like the dashboard's read model,
 * the facts query reads the agents, deliverables and thinking tables of other
 * modules in one statement; the monitor writes only goals and goal_schedules.
 * Times are the app clock's (passed in), not the database's now(), so a test
 * can move them.
 */
@Injectable()
export class GoalMonitorRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** A schedule row, due at `now`, for every workspace with goals that has none. */
  async addMissingSchedules(
    intervalMs: number,
    now: number,
    everyWorkspace: boolean,
  ): Promise<number> {
    const source = everyWorkspace
      ? `SELECT id FROM workspaces`
      : `SELECT DISTINCT workspace_id FROM goals`;
    const rows = await this.db.query<{ n: number }[]>(
      `WITH added AS (
         INSERT INTO goal_schedules (workspace_id, interval_ms, next_check_at)
         SELECT w, $1, $2 FROM (${source}) AS s(w)
          WHERE NOT EXISTS (SELECT 1 FROM goal_schedules g WHERE g.workspace_id = s.w)
         ON CONFLICT (workspace_id) DO NOTHING
         RETURNING 1)
       SELECT count(*)::int AS n FROM added`,
      [intervalMs, new Date(now)],
    );
    return rows[0]?.n ?? 0;
  }

  /**
   * Asks for a check of the workspace at `dueAt`, or no sooner than `cooldownMs`
   * after its last check, whichever is later; a check already due sooner stays.
   * Only if the event can change a verdict (`relevance`, judged against what the
   * last check saw) and the workspace has a schedule row. Waits for a check in
   * progress (its row lock) and then applies to the row that check left, so no
   * event is lost between a check's read and its commit. Returns when the check
   * is due, or null for no request.
   */
  async request(
    workspaceId: string,
    relevance: CheckRelevance,
    now: number,
    dueAt: number,
    cooldownMs: number,
  ): Promise<number | null> {
    const params: unknown[] = [workspaceId, new Date(dueAt), cooldownMs, new Date(now)];
    let condition: string;
    switch (relevance.kind) {
      case 'any':
        condition = 'true';
        break;
      case 'step':
        condition = 's.stalled';
        break;
      case 'agent':
        params.push(relevance.agentId, relevance.down);
        condition = `$5::uuid = ANY(s.watched_agent_ids) AND ($5::uuid = ANY(s.down_agent_ids)) <> $6::boolean`;
        break;
    }
    const due = `LEAST(s.next_check_at,
                  GREATEST($2::timestamptz, s.last_checked_at + $3::int * interval '1 millisecond'))`;
    const rows = await this.db.query<{ next_check_at: Date }[]>(
      `WITH requested AS (
         UPDATE goal_schedules s
            SET next_check_at = ${due},
                covered_until = GREATEST(s.covered_until, ${due}),
                requested_at = COALESCE(s.requested_at, $4::timestamptz)
          WHERE s.workspace_id = $1 AND ${condition}
          RETURNING s.next_check_at)
       SELECT next_check_at FROM requested`,
      params,
    );
    return rows[0] ? rows[0].next_check_at.getTime() : null;
  }

  /** A goal was created or edited: the workspace gets its schedule row if it had none, and a check at `dueAt`. */
  async requestForGoals(
    workspaceId: string,
    now: number,
    dueAt: number,
    intervalMs: number,
  ): Promise<number> {
    const rows = await this.db.query<{ next_check_at: Date }[]>(
      `INSERT INTO goal_schedules AS s
              (workspace_id, interval_ms, next_check_at, requested_at, covered_until)
       VALUES ($1, $2, $3, $4, $3)
       ON CONFLICT (workspace_id) DO UPDATE
         SET next_check_at = LEAST(s.next_check_at, EXCLUDED.next_check_at),
             covered_until = GREATEST(s.covered_until,
                                      LEAST(s.next_check_at, EXCLUDED.next_check_at)),
             requested_at = COALESCE(s.requested_at, EXCLUDED.requested_at)
       RETURNING next_check_at`,
      [workspaceId, intervalMs, new Date(dueAt), new Date(now)],
    );
    return rows[0].next_check_at.getTime();
  }

  /** The earliest next_check_at (due or not, claimed or not); null without any row. */
  async earliestDue(): Promise<number | null> {
    const rows = await this.db.query<{ at: Date | null }[]>(
      `SELECT min(next_check_at) AS at FROM goal_schedules`,
    );
    return rows[0]?.at ? rows[0].at.getTime() : null;
  }

  /** The earliest next_check_at after `now`: what to sleep until once nothing due is left to claim. */
  async nextDueAfter(now: number): Promise<number | null> {
    const rows = await this.db.query<{ at: Date | null }[]>(
      `SELECT min(next_check_at) AS at FROM goal_schedules WHERE next_check_at > $1`,
      [new Date(now)],
    );
    return rows[0]?.at ? rows[0].at.getTime() : null;
  }

  /** One check, in one transaction that holds the claim (the row lock) from start to commit. */
  inCheck<T>(work: (tx: CheckTransaction) => Promise<T>): Promise<T> {
    return this.db.transaction((em) => work(new CheckTransaction(em)));
  }

  /** After a failed check: try again at `at`, not at once. */
  async retryAt(workspaceId: string, at: number): Promise<void> {
    await this.db.query(`UPDATE goal_schedules SET next_check_at = $2 WHERE workspace_id = $1`, [
      workspaceId,
      new Date(at),
    ]);
  }

  findGoals(ids: string[]): Promise<GoalEntity[]> {
    return this.db.getRepository(GoalEntity).findBy({ id: In(ids) });
  }

  /** Workspaces per current interval, across every instance. */
  async intervalDistribution(): Promise<{ intervalMs: number; workspaces: number }[]> {
    const rows = await this.db.query<{ interval_ms: number; n: number }[]>(
      `SELECT interval_ms, count(*)::int AS n FROM goal_schedules GROUP BY interval_ms ORDER BY interval_ms`,
    );
    return rows.map((r) => ({ intervalMs: r.interval_ms, workspaces: r.n }));
  }
}

/** The statements of one check, on the connection of its transaction. */
export class CheckTransaction {
  constructor(private readonly em: EntityManager) {}

  /**
   * The most overdue check no other runner holds, locked until this transaction
   * ends. A runner that dies loses its connection, its transaction rolls back,
   * and the row is due again for the others.
   */
  async claimDue(now: number): Promise<ClaimedCheck | null> {
    const rows = await this.em.query<
      {
        workspace_id: string;
        interval_ms: number;
        requested_at: Date | null;
        covered_until: Date | null;
      }[]
    >(
      `SELECT workspace_id, interval_ms, requested_at, covered_until FROM goal_schedules
        WHERE next_check_at <= $1
        ORDER BY next_check_at
        LIMIT 1
        FOR UPDATE SKIP LOCKED`,
      [new Date(now)],
    );
    const row = rows[0];
    return row
      ? {
          workspaceId: row.workspace_id,
          intervalMs: row.interval_ms,
          requestedAt: row.requested_at,
          coveredUntil: row.covered_until,
        }
      : null;
  }

  /**
   * Every goal of the workspace with the facts its rules need, in one statement.
   * The goal rows are locked too, so a PATCH waits for this check instead of
   * being overwritten by it.
   */
  async loadFacts(workspaceId: string): Promise<GoalFacts[]> {
    const rows = await this.em.query<FactsRow[]>(
      `SELECT g.id, g.status, g.progress, g.status_reason, g.agent_ids, g.target_deliverables,
              g.window_hours, g.created_at,
              COALESCE((SELECT jsonb_agg(jsonb_build_object('id', a.id, 'status', a.status))
                          FROM agents a
                         WHERE a.workspace_id = g.workspace_id AND a.id = ANY(g.agent_ids)),
                       '[]'::jsonb) AS agents,
              (SELECT count(*)::int FROM deliverables d
                WHERE d.workspace_id = g.workspace_id
                  AND d.created_at >= g.created_at
                  AND d.created_at < g.created_at + g.window_hours * interval '1 hour'
                  AND (cardinality(g.agent_ids) = 0 OR d.agent_id = ANY(g.agent_ids))) AS delivered,
              (SELECT max(d.created_at) FROM deliverables d
                WHERE d.workspace_id = g.workspace_id
                  AND (cardinality(g.agent_ids) = 0 OR d.agent_id = ANY(g.agent_ids))) AS last_deliverable_at,
              (SELECT max(p.last_step_at) FROM thinking_processes p
                WHERE p.workspace_id = g.workspace_id
                  AND (cardinality(g.agent_ids) = 0 OR p.agent_id = ANY(g.agent_ids))) AS last_step_at
         FROM goals g
        WHERE g.workspace_id = $1
        ORDER BY g.created_at, g.id
          FOR UPDATE OF g`,
      [workspaceId],
    );
    return rows.map((r) => ({
      id: r.id,
      status: r.status,
      progress: r.progress,
      statusReason: r.status_reason,
      agentIds: r.agent_ids,
      targetDeliverables: r.target_deliverables,
      windowHours: r.window_hours,
      createdAt: r.created_at.getTime(),
      agents: r.agents,
      deliveredInWindow: r.delivered,
      lastDeliverableAt: r.last_deliverable_at?.getTime() ?? null,
      lastStepAt: r.last_step_at?.getTime() ?? null,
    }));
  }

  /** Every evaluated goal gets its check times; the changed ones their verdict and updated_at. One statement. */
  async saveVerdicts(
    evaluations: GoalEvaluation[],
    checkedAt: number,
    nextCheckAt: number,
  ): Promise<void> {
    if (evaluations.length === 0) return;
    await this.em.query(
      `UPDATE goals g
          SET status = v.status::goal_status, progress = v.progress, status_reason = v.reason,
              last_checked_at = $6, next_check_at = $7,
              updated_at = CASE WHEN v.changed THEN now() ELSE g.updated_at END
         FROM unnest($1::uuid[], $2::text[], $3::int[], $4::text[], $5::boolean[])
              AS v(id, status, progress, reason, changed)
        WHERE g.id = v.id`,
      [
        evaluations.map((e) => e.goal.id),
        evaluations.map((e) => e.verdict.status),
        evaluations.map((e) => e.verdict.progress),
        evaluations.map((e) => e.verdict.reason),
        evaluations.map((e) => e.changed),
        new Date(checkedAt),
        new Date(nextCheckAt),
      ],
    );
  }

  /** The check is done: next time, the new interval, and what later events are judged against. */
  async finish(workspaceId: string, result: CheckResult): Promise<void> {
    await this.em.query(
      `UPDATE goal_schedules
          SET interval_ms = $2, next_check_at = $3, last_checked_at = $4,
              requested_at = $8, covered_until = $8,
              checks = checks + 1, watched_agent_ids = $5, down_agent_ids = $6, stalled = $7
        WHERE workspace_id = $1`,
      [
        workspaceId,
        result.intervalMs,
        new Date(result.nextCheckAt),
        new Date(result.checkedAt),
        result.watchedAgentIds,
        result.downAgentIds,
        result.stalled,
        result.owedAt === null ? null : new Date(result.owedAt),
      ],
    );
  }
}
