import { GOAL_STATUSES, GoalStatus } from '@orch/contracts';
import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { WorkspaceEntity } from '../../workspaces/entities/workspace.entity.js';

@Entity({ name: 'goals' })
@Index('idx_goals_workspace_id_created_at_id', ['workspaceId', 'createdAt', 'id'])
export class GoalEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_goals' })
  id!: string;

  @Column({ name: 'workspace_id', type: 'uuid' })
  workspaceId!: string;

  @ManyToOne(() => WorkspaceEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'workspace_id', foreignKeyConstraintName: 'fk_goals_workspace_id' })
  workspace?: WorkspaceEntity;

  @Column({ type: 'text' })
  title!: string;

  @Column({ type: 'text', nullable: true })
  description!: string | null;

  @Column({
    type: 'enum',
    enum: GOAL_STATUSES,
    enumName: 'goal_status',
    default: GoalStatus.Active,
  })
  status!: GoalStatus;

  /** 0..100, kept by the goal monitor. */
  @Column({ type: 'smallint', default: 0 })
  progress!: number;

  /** The goal monitor's reason for the status, shown beside it; null until the first check. */
  @Column({ name: 'status_reason', type: 'text', nullable: true })
  statusReason!: string | null;

  /**
   * The agents whose deliverables count towards the goal. An array, not a join
   * table: it is always read and written whole with its goal; the service checks
   * that every id belongs to the workspace.
   */
  @Column({ name: 'agent_ids', type: 'uuid', array: true, default: () => "'{}'" })
  agentIds!: string[];

  @Column({ name: 'target_deliverables', type: 'integer', nullable: true })
  targetDeliverables!: number | null;

  @Column({ name: 'window_hours', type: 'integer', default: 24 })
  windowHours!: number;

  @Column({ name: 'last_checked_at', type: 'timestamptz', precision: 3, nullable: true })
  lastCheckedAt!: Date | null;

  @Column({ name: 'next_check_at', type: 'timestamptz', precision: 3, nullable: true })
  nextCheckAt!: Date | null;

  @Column({ name: 'created_at', type: 'timestamptz', precision: 3, default: () => 'now()' })
  createdAt!: Date;

  @Column({ name: 'updated_at', type: 'timestamptz', precision: 3, default: () => 'now()' })
  updatedAt!: Date;
}
