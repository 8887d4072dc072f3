import { Column, Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { AgentEntity } from './agent.entity.js';

/** One row per (agent, key); the primary key also serves "all settings of these agents". */
@Entity({ name: 'agent_settings' })
export class AgentSettingEntity {
  @PrimaryColumn({ name: 'agent_id', type: 'uuid', primaryKeyConstraintName: 'pk_agent_settings' })
  agentId!: string;

  @PrimaryColumn({ type: 'text', primaryKeyConstraintName: 'pk_agent_settings' })
  key!: string;

  @Column({ type: 'text' })
  value!: string;

  @ManyToOne(() => AgentEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'agent_id', foreignKeyConstraintName: 'fk_agent_settings_agent_id' })
  agent?: AgentEntity;

  @Column({ name: 'updated_at', type: 'timestamptz', precision: 3, default: () => 'now()' })
  updatedAt!: Date;
}
