import { THINKING_PROCESS_STATUSES, ThinkingProcessStatus } from '@orch/contracts';
import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { AgentEntity } from '../../agents/entities/agent.entity.js';
import { WorkspaceEntity } from '../../workspaces/entities/workspace.entity.js';

@Entity({ name: 'thinking_processes' })
@Index('idx_thinking_processes_workspace_id_created_at_id', ['workspaceId', 'createdAt', 'id'])
@Index('idx_thinking_processes_agent_id', ['agentId'])
export class ThinkingProcessEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_thinking_processes' })
  id!: string;

  @Column({ name: 'workspace_id', type: 'uuid' })
  workspaceId!: string;

  @ManyToOne(() => WorkspaceEntity, { onDelete: 'CASCADE' })
  @JoinColumn({
    name: 'workspace_id',
    foreignKeyConstraintName: 'fk_thinking_processes_workspace_id',
  })
  workspace?: WorkspaceEntity;

  @Column({ name: 'agent_id', type: 'uuid' })
  agentId!: string;

  /** A process is the agent's own record: it goes with the agent. */
  @ManyToOne(() => AgentEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'agent_id', foreignKeyConstraintName: 'fk_thinking_processes_agent_id' })
  agent?: AgentEntity;

  @Column({ type: 'text' })
  title!: string;

  @Column({
    type: 'enum',
    enum: THINKING_PROCESS_STATUSES,
    enumName: 'thinking_process_status',
    default: ThinkingProcessStatus.Running,
  })
  status!: ThinkingProcessStatus;

  /** The newest step's created_at: appends take their times from it under the row lock. */
  @Column({
    name: 'last_step_at',
    type: 'timestamptz',
    precision: 3,
    nullable: true,
    select: false,
  })
  lastStepAt?: Date | null;

  @Column({ name: 'created_at', type: 'timestamptz', precision: 3, default: () => 'now()' })
  createdAt!: Date;

  @Column({ name: 'updated_at', type: 'timestamptz', precision: 3, default: () => 'now()' })
  updatedAt!: Date;
}
