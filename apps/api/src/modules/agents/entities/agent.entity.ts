import { AGENT_STATUSES, AgentStatus } from '@orch/contracts';
import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { WorkspaceEntity } from '../../workspaces/entities/workspace.entity.js';

@Entity({ name: 'agents' })
@Index('idx_agents_workspace_id_created_at_id', ['workspaceId', 'createdAt', 'id'])
@Index('idx_agents_workspace_id_status', ['workspaceId', 'status'])
export class AgentEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_agents' })
  id!: string;

  @Column({ name: 'workspace_id', type: 'uuid' })
  workspaceId!: string;

  @ManyToOne(() => WorkspaceEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'workspace_id', foreignKeyConstraintName: 'fk_agents_workspace_id' })
  workspace?: WorkspaceEntity;

  @Column({ type: 'text' })
  name!: string;

  @Column({ type: 'text' })
  role!: string;

  @Column({ type: 'text' })
  model!: string;

  @Column({
    type: 'enum',
    enum: AGENT_STATUSES,
    enumName: 'agent_status',
    default: AgentStatus.Idle,
  })
  status!: AgentStatus;

  @Column({ name: 'created_at', type: 'timestamptz', precision: 3, default: () => 'now()' })
  createdAt!: Date;

  @Column({ name: 'updated_at', type: 'timestamptz', precision: 3, default: () => 'now()' })
  updatedAt!: Date;
}
