import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { updatedRows } from './display-content.repository.js';

/** What a write or a read hands the queue: a deliverable whose display must be (re)made. */
export interface DisplayJobRequest {
  deliverableId: string;
  workspaceId: string;
  contentHash: string;
}

/** A leased job, with the deliverable as it is now (one statement claims and reads both). */
export interface LeasedJob {
  deliverableId: string;
  workspaceId: string;
  force: boolean;
  attempts: number;
  claimToken: string;
  title: string;
  content: string;
  contentHash: string;
  /** The stored display content is current for this content and `version` already. */
  alreadyFresh: boolean;
}

export interface QueueDepth {
  depth: number;
  due: number;
  running: number;
  quotaBlocked: number;
  failing: number;
  oldestJobAgeSeconds: number;
}

/**
 * The display_jobs table (migrations/1764300000000-DisplayJobs.ts). A lease is
 * a deadline in claimed_until plus a token: the row lock of SKIP LOCKED lasts
 * only for the claiming statement, so a worker holds no connection while the
 * provider answers, and a crashed worker's jobs come back when the lease ends.
 */
@Injectable()
export class DisplayQueueRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /**
   * After a write: the job now wants this content, due at once. A worker still on older
   * content keeps its lease; when it ends, its result is not stored (the hash differs) and
   * the job is handed back for the new content (`complete`), so one deliverable never has
   * two provider calls at once.
   */
  async enqueue(job: DisplayJobRequest, { force }: { force: boolean }): Promise<void> {
    await this.db.query(
      `INSERT INTO display_jobs (deliverable_id, workspace_id, content_hash, force)
       VALUES ($1, $2, $3, $4)
       ON CONFLICT (deliverable_id) DO UPDATE
          SET content_hash = excluded.content_hash, force = display_jobs.force OR excluded.force,
              enqueued_at = now(), run_after = now(), attempts = 0, blocked_by = NULL,
              last_error = NULL`,
      [job.deliverableId, job.workspaceId, job.contentHash, force],
    );
  }

  /**
   * Deliverables reads found pending with no job of theirs known to this process: one
   * statement for the lot; an existing job (waiting, failing or blocked) is left as it is.
   */
  async enqueueMissing(jobs: readonly DisplayJobRequest[]): Promise<void> {
    if (jobs.length === 0) return;
    await this.db.query(
      `INSERT INTO display_jobs (deliverable_id, workspace_id, content_hash)
       SELECT j.deliverable_id, j.workspace_id, j.content_hash
         FROM unnest($1::uuid[], $2::uuid[], $3::char(64)[]) AS j(deliverable_id, workspace_id, content_hash)
         JOIN deliverables d ON d.id = j.deliverable_id
       ON CONFLICT (deliverable_id) DO NOTHING`,
      [
        jobs.map((j) => j.deliverableId),
        jobs.map((j) => j.workspaceId),
        jobs.map((j) => j.contentHash),
      ],
    );
  }

  /**
   * Leases up to `limit` due jobs, oldest due first, skipping rows another worker is claiming.
   * The job now wants the deliverable's current content: a row changed around the API (an
   * import) since it was queued would otherwise never match in `complete`, and be handed back
   * and leased again without end.
   */
  async lease(limit: number, leaseMs: number, version: string): Promise<LeasedJob[]> {
    const result: unknown = await this.db.query(
      `WITH next AS (
         SELECT deliverable_id FROM display_jobs
          WHERE run_after <= now() AND (claimed_until IS NULL OR claimed_until < now())
          ORDER BY run_after, enqueued_at
          LIMIT $1
          FOR UPDATE SKIP LOCKED)
       UPDATE display_jobs j
          SET claimed_until = now() + make_interval(secs => $2::double precision / 1000),
              claim_token = gen_random_uuid(), attempts = j.attempts + 1,
              content_hash = d.content_hash
         FROM next, deliverables d
        WHERE j.deliverable_id = next.deliverable_id AND d.id = j.deliverable_id
       RETURNING j.deliverable_id, j.workspace_id, j.force, j.attempts, j.claim_token,
                 d.title, d.content, d.content_hash,
                 (d.display_content IS NOT NULL AND d.display_content_hash = d.content_hash
                  AND d.transform_version IS NOT DISTINCT FROM $3) AS already_fresh`,
      [limit, leaseMs, version],
    );
    return (updatedRows(result) as Record<string, unknown>[]).map((row) => ({
      deliverableId: row.deliverable_id as string,
      workspaceId: row.workspace_id as string,
      force: row.force as boolean,
      attempts: row.attempts as number,
      claimToken: row.claim_token as string,
      title: row.title as string,
      content: row.content as string,
      contentHash: row.content_hash as string,
      alreadyFresh: row.already_fresh as boolean,
    }));
  }

  /**
   * Done: the job goes, unless a write asked for newer content meanwhile: then the lease
   * is dropped and the job is due again for that content.
   */
  async complete(job: LeasedJob): Promise<void> {
    await this.db.query(
      `WITH done AS (
         DELETE FROM display_jobs
          WHERE deliverable_id = $1 AND claim_token = $2 AND content_hash = $3
         RETURNING 1)
       UPDATE display_jobs SET claimed_until = NULL, claim_token = NULL
        WHERE deliverable_id = $1 AND claim_token = $2 AND NOT EXISTS (SELECT 1 FROM done)`,
      [job.deliverableId, job.claimToken, job.contentHash],
    );
  }

  /**
   * Failed: try again after `delayMs` (null: not before a write asks again). A job whose
   * content changed meanwhile is due at once instead: the failure was the old content's.
   */
  async retryLater(job: LeasedJob, delayMs: number | null, error: string): Promise<void> {
    await this.db.query(
      `UPDATE display_jobs
          SET run_after = CASE WHEN content_hash <> $5 THEN now()
                               WHEN $3::double precision IS NULL THEN 'infinity'::timestamptz
                               ELSE now() + make_interval(secs => $3::double precision / 1000) END,
              blocked_by = CASE WHEN content_hash <> $5 THEN NULL
                                WHEN $3::double precision IS NULL THEN 'failed' ELSE 'failing' END,
              last_error = CASE WHEN content_hash <> $5 THEN NULL ELSE left($4, 500) END,
              claimed_until = NULL, claim_token = NULL
        WHERE deliverable_id = $1 AND claim_token = $2`,
      [job.deliverableId, job.claimToken, delayMs, error, job.contentHash],
    );
  }

  /**
   * The workspace's AI calls for today are spent: every job of it waits for the next UTC
   * day (the quota's day). The attempt that found out does not count. A job that stopped
   * after DISPLAY_QUEUE_MAX_ATTEMPTS stays stopped until its next write.
   */
  async postponeWorkspace(job: LeasedJob): Promise<void> {
    await this.db.query(
      `UPDATE display_jobs
          SET run_after = (date_trunc('day', now() AT TIME ZONE 'UTC') + interval '1 day') AT TIME ZONE 'UTC',
              blocked_by = 'quota',
              attempts = CASE WHEN claim_token = $2 THEN attempts - 1 ELSE attempts END,
              claimed_until = CASE WHEN claim_token = $2 THEN NULL ELSE claimed_until END,
              claim_token = CASE WHEN claim_token = $2 THEN NULL ELSE claim_token END
        WHERE workspace_id = $1 AND blocked_by IS DISTINCT FROM 'failed'
          AND (claim_token = $2 OR claimed_until IS NULL OR claimed_until < now())`,
      [job.workspaceId, job.claimToken],
    );
  }

  /** Shutting down mid-job: the job is due again at once, for another worker. */
  async release(job: LeasedJob): Promise<void> {
    await this.db.query(
      `UPDATE display_jobs SET claimed_until = NULL, claim_token = NULL, attempts = attempts - 1
        WHERE deliverable_id = $1 AND claim_token = $2`,
      [job.deliverableId, job.claimToken],
    );
  }

  async depth(): Promise<QueueDepth> {
    const rows = await this.db.query<Record<string, string | number | null>[]>(
      `SELECT count(*)::int AS depth,
              count(*) FILTER (WHERE run_after <= now()
                AND (claimed_until IS NULL OR claimed_until < now()))::int AS due,
              count(*) FILTER (WHERE claimed_until >= now())::int AS running,
              count(*) FILTER (WHERE blocked_by = 'quota')::int AS quota_blocked,
              count(*) FILTER (WHERE blocked_by IN ('failing', 'failed'))::int AS failing,
              COALESCE(EXTRACT(EPOCH FROM now() - min(enqueued_at)), 0)::float8 AS oldest
         FROM display_jobs`,
    );
    const row = rows[0] ?? {};
    return {
      depth: Number(row.depth ?? 0),
      due: Number(row.due ?? 0),
      running: Number(row.running ?? 0),
      quotaBlocked: Number(row.quota_blocked ?? 0),
      failing: Number(row.failing ?? 0),
      oldestJobAgeSeconds: Math.round(Number(row.oldest ?? 0) * 10) / 10,
    };
  }
}
