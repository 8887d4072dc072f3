import { Column, Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { WorkspaceEntity } from '../../workspaces/entities/workspace.entity.js';

/** AI calls per workspace per UTC day: one row per day, incremented in place. */
@Entity({ name: 'ai_usage' })
export class AiUsageEntity {
  @PrimaryColumn({ name: 'workspace_id', type: 'uuid', primaryKeyConstraintName: 'pk_ai_usage' })
  workspaceId!: string;

  @PrimaryColumn({ type: 'date', primaryKeyConstraintName: 'pk_ai_usage' })
  day!: string;

  @Column({ type: 'integer', default: 0 })
  calls!: number;

  @ManyToOne(() => WorkspaceEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'workspace_id', foreignKeyConstraintName: 'fk_ai_usage_workspace_id' })
  workspace?: WorkspaceEntity;

  @Column({ name: 'updated_at', type: 'timestamptz', precision: 3, default: () => 'now()' })
  updatedAt!: Date;
}
