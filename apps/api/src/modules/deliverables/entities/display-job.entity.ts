import { Column, Entity, Index, JoinColumn, OneToOne, ManyToOne, PrimaryColumn } from 'typeorm';
import { WorkspaceEntity } from '../../workspaces/entities/workspace.entity.js';
import { DeliverableEntity } from './deliverable.entity.js';

/**
 * A deliverable whose display content must be (re)made, waiting for a worker
 * of the display queue (docs/display-content.md). One row per deliverable; a
 * newer write replaces the job's content hash.
 */
@Entity({ name: 'display_jobs' })
@Index('idx_display_jobs_run_after', ['runAfter'])
@Index('idx_display_jobs_workspace_id', ['workspaceId'])
export class DisplayJobEntity {
  @PrimaryColumn({
    name: 'deliverable_id',
    type: 'uuid',
    primaryKeyConstraintName: 'pk_display_jobs',
  })
  deliverableId!: string;

  @OneToOne(() => DeliverableEntity, { onDelete: 'CASCADE' })
  @JoinColumn({
    name: 'deliverable_id',
    foreignKeyConstraintName: 'fk_display_jobs_deliverable_id',
  })
  deliverable?: DeliverableEntity;

  @Column({ name: 'workspace_id', type: 'uuid' })
  workspaceId!: string;

  @ManyToOne(() => WorkspaceEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'workspace_id', foreignKeyConstraintName: 'fk_display_jobs_workspace_id' })
  workspace?: WorkspaceEntity;

  /** The content the job transforms: a job whose deliverable changed since is re-read. */
  @Column({ name: 'content_hash', type: 'char', length: 64 })
  contentHash!: string;

  /** Transform even if the stored display content is current (a regenerate). */
  @Column({ type: 'boolean', default: false })
  force!: boolean;

  @Column({ name: 'enqueued_at', type: 'timestamptz', precision: 3, default: () => 'now()' })
  enqueuedAt!: Date;

  /** Not before: now for a new job, later after a failure (backoff) or a spent quota (next UTC day). */
  @Column({ name: 'run_after', type: 'timestamptz', precision: 3, default: () => 'now()' })
  runAfter!: Date;

  /** Transformations tried for this content (provider retries within one attempt not counted). */
  @Column({ type: 'integer', default: 0 })
  attempts!: number;

  /** While in the future, a worker holds the job; a crashed worker's lease runs out. */
  @Column({ name: 'claimed_until', type: 'timestamptz', precision: 3, nullable: true })
  claimedUntil!: Date | null;

  /** Which lease holds it: only the holder may complete or reschedule the job. */
  @Column({ name: 'claim_token', type: 'uuid', nullable: true })
  claimToken!: string | null;

  /**
   * Why it waits: `quota` (the workspace's AI calls for today are spent), `failing` (a backoff
   * after a failed attempt) or `failed` (DISPLAY_QUEUE_MAX_ATTEMPTS used: until the next write).
   */
  @Column({ name: 'blocked_by', type: 'text', nullable: true })
  blockedBy!: string | null;

  @Column({ name: 'last_error', type: 'text', nullable: true })
  lastError!: string | null;
}
