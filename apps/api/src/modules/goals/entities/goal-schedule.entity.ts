import { Column, Entity, Index, JoinColumn, OneToOne, PrimaryColumn } from 'typeorm';
import { WorkspaceEntity } from '../../workspaces/entities/workspace.entity.js';

/**
 * When the goal monitor checks a workspace next, and what its last check saw
 * that later events are judged against (docs/goal-monitor.md). One row per
 * workspace with goals; the row lock is the claim on a due check.
 */
@Entity({ name: 'goal_schedules' })
@Index('idx_goal_schedules_next_check_at', ['nextCheckAt'])
export class GoalScheduleEntity {
  @PrimaryColumn({
    name: 'workspace_id',
    type: 'uuid',
    primaryKeyConstraintName: 'pk_goal_schedules',
  })
  workspaceId!: string;

  @OneToOne(() => WorkspaceEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'workspace_id', foreignKeyConstraintName: 'fk_goal_schedules_workspace_id' })
  workspace?: WorkspaceEntity;

  /** The current backoff interval: doubled by a check that changed nothing, reset by a change. */
  @Column({ name: 'interval_ms', type: 'integer' })
  intervalMs!: number;

  @Column({ name: 'next_check_at', type: 'timestamptz', precision: 3 })
  nextCheckAt!: Date;

  /** The first event of a pending check request; cleared by the check that covers it. */
  @Column({ name: 'requested_at', type: 'timestamptz', precision: 3, nullable: true })
  requestedAt!: Date | null;

  /**
   * The latest check time any instance was told when it asked for a check: it lets later
   * events through without a write until then, so no check may be the last before it.
   */
  @Column({ name: 'covered_until', type: 'timestamptz', precision: 3, nullable: true })
  coveredUntil!: Date | null;

  @Column({ name: 'last_checked_at', type: 'timestamptz', precision: 3, nullable: true })
  lastCheckedAt!: Date | null;

  /** Checks that ran (committed) for this workspace. */
  @Column({ type: 'integer', default: 0 })
  checks!: number;

  /** Agents assigned to a goal the monitor evaluates, as of the last check. */
  @Column({ name: 'watched_agent_ids', type: 'uuid', array: true, default: () => "'{}'" })
  watchedAgentIds!: string[];

  /** Which of them were error, offline or terminated then. */
  @Column({ name: 'down_agent_ids', type: 'uuid', array: true, default: () => "'{}'" })
  downAgentIds!: string[];

  /** Whether a goal was at risk for want of activity: only then can a thinking step change a verdict. */
  @Column({ type: 'boolean', default: false })
  stalled!: boolean;
}
