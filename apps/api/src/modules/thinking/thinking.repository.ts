import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import {
  type ThinkingProcess,
  ThinkingProcessStatus,
  type ThinkingStep,
  type ThinkingStepKind,
} from '@orch/contracts';
import type { DataSource, Repository } from 'typeorm';
import { oldestFirstPage } from '../../infra/database/keyset.js';
import type { ThinkingReader } from './thinking-reader.js';
import type { PageRequest } from '../../core/pagination.js';
import { ThinkingProcessEntity } from './entities/thinking-process.entity.js';
import { ThinkingStepEntity } from './entities/thinking-step.entity.js';

/** A step as the append statement returns it. */
interface StepRow {
  id: string;
  process_id: string;
  kind: ThinkingStepKind;
  content: string;
  created_at: Date;
}

/** A timestamptz(3) as the contract's ISO 8601 text, `2026-12-01T20:00:00.123Z`. */
const iso = (column: string) =>
  `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

@Injectable()
export class ThinkingRepository implements ThinkingReader {
  private readonly processes: Repository<ThinkingProcessEntity>;
  private readonly steps: Repository<ThinkingStepEntity>;

  constructor(@InjectDataSource() private readonly db: DataSource) {
    this.processes = db.getRepository(ThinkingProcessEntity);
    this.steps = db.getRepository(ThinkingStepEntity);
  }

  findProcess(id: string): Promise<ThinkingProcessEntity | null> {
    return this.processes.findOneBy({ id });
  }

  /**
   * A page of the workspace's processes, newest first, one index range scan on
   * thinking_processes(workspace_id, created_at, id). The rows come back in the
   * contract's shape, timestamps already ISO 8601 text (to_char in UTC, the
   * same string Date.toISOString() gives at millisecond precision): no Date
   * is parsed and formatted again per row, no entity is built.
   */
  listRecentProcesses(workspaceId: string, page: PageRequest): Promise<ThinkingProcess[]> {
    const after = page.after;
    return this.db.query<ThinkingProcess[]>(
      `SELECT p.id, p.workspace_id AS "workspaceId", p.agent_id AS "agentId", p.title, p.status,
              ${iso('p.created_at')} AS "createdAt", ${iso('p.updated_at')} AS "updatedAt"
         FROM thinking_processes p
        WHERE p.workspace_id = $1${after ? ' AND (p.created_at, p.id) < ($3, $4)' : ''}
        ORDER BY p.created_at DESC, p.id DESC
        LIMIT $2`,
      after
        ? [workspaceId, page.limit + 1, after.createdAt, after.id]
        : [workspaceId, page.limit + 1],
    );
  }

  /**
   * The latest `stepsEach` steps of every process in one query: a LATERAL
   * top-N per process, each an index range scan on
   * thinking_steps(process_id, created_at, id) read backwards. Rows in the
   * contract's shape (see listRecentProcesses); oldest first within each process.
   */
  async latestStepsOf(
    processIds: string[],
    stepsEach: number,
  ): Promise<Map<string, ThinkingStep[]>> {
    const byProcess = new Map<string, ThinkingStep[]>();
    for (const id of processIds) byProcess.set(id, []);
    if (processIds.length === 0 || stepsEach === 0) return byProcess;
    const rows = await this.db.query<ThinkingStep[]>(
      `SELECT s.id, s.process_id AS "processId", s.kind, s.content, ${iso('s.created_at')} AS "createdAt"
         FROM unnest($1::uuid[]) AS p(id)
         CROSS JOIN LATERAL (
           SELECT t.id, t.process_id, t.kind, t.content, t.created_at
             FROM thinking_steps t
            WHERE t.process_id = p.id
            ORDER BY t.created_at DESC, t.id DESC
            LIMIT $2
         ) s`,
      [processIds, stepsEach],
    );
    for (const row of rows) byProcess.get(row.processId)?.push(row);
    for (const steps of byProcess.values()) steps.reverse();
    return byProcess;
  }

  listSteps(processId: string, page: PageRequest): Promise<ThinkingStepEntity[]> {
    const qb = this.steps.createQueryBuilder('s').where('s.process_id = :processId', { processId });
    return oldestFirstPage(qb, 's', page).getMany();
  }

  createProcess(
    workspaceId: string,
    agentId: string,
    title: string,
  ): Promise<ThinkingProcessEntity> {
    return this.processes.save(this.processes.create({ workspaceId, agentId, title }));
  }

  /** Returns the process as it is afterwards; the caller compares statuses. */
  async updateStatus(
    id: string,
    status: ThinkingProcessStatus,
  ): Promise<ThinkingProcessEntity | null> {
    // Only a running process changes status; a closed one stays as it ended.
    await this.processes
      .createQueryBuilder()
      .update(ThinkingProcessEntity)
      .set({ status, updatedAt: () => 'now()' })
      .where('id = :id AND status = :running AND status <> :status', {
        id,
        status,
        running: ThinkingProcessStatus.Running,
      })
      .execute();
    return this.findProcess(id);
  }

  /**
   * Appends steps, in order, only while the process is running, and touches
   * the process's updated_at: one statement for any number of steps. Each step
   * is stamped 1 ms after the one before, starting after the process's
   * last_step_at, which the UPDATE reads under the row lock (re-read after
   * waiting for a concurrent append), so concurrent appends never interleave
   * and (process_id, created_at, id) is the order of appending.
   * Null when the process is closed.
   */
  async appendSteps(
    processId: string,
    steps: { kind: ThinkingStepKind; content: string }[],
  ): Promise<ThinkingStepEntity[] | null> {
    const rows = await this.db.query<StepRow[]>(
      `WITH open AS (
         UPDATE thinking_processes
            SET updated_at = now(),
                last_step_at = GREATEST(now(), last_step_at + interval '1 millisecond')
                               + ($5::int - 1) * interval '1 millisecond'
          WHERE id = $1 AND status = $4
          RETURNING id, last_step_at - ($5::int - 1) * interval '1 millisecond' AS first_at
       )
       INSERT INTO thinking_steps (process_id, kind, content, created_at)
       SELECT open.id, s.kind::thinking_step_kind, s.content,
              open.first_at + (s.ord - 1) * interval '1 millisecond'
         FROM open, unnest($2::text[], $3::text[]) WITH ORDINALITY AS s(kind, content, ord)
       RETURNING id, process_id, kind, content, created_at`,
      [
        processId,
        steps.map((s) => s.kind),
        steps.map((s) => s.content),
        ThinkingProcessStatus.Running,
        steps.length,
      ],
    );
    if (rows.length === 0) return null;
    return rows
      .map((row) =>
        this.steps.create({
          id: row.id,
          processId: row.process_id,
          kind: row.kind,
          content: row.content,
          createdAt: row.created_at,
        }),
      )
      .sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
  }
}
