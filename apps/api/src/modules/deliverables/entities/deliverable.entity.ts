import type { DisplayContent } from '@orch/contracts';
import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { AgentEntity } from '../../agents/entities/agent.entity.js';
import { WorkspaceEntity } from '../../workspaces/entities/workspace.entity.js';

@Entity({ name: 'deliverables' })
@Index('idx_deliverables_workspace_id_created_at_id', ['workspaceId', 'createdAt', 'id'])
@Index('idx_deliverables_agent_id', ['agentId'])
export class DeliverableEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_deliverables' })
  id!: string;

  @Column({ name: 'workspace_id', type: 'uuid' })
  workspaceId!: string;

  @ManyToOne(() => WorkspaceEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'workspace_id', foreignKeyConstraintName: 'fk_deliverables_workspace_id' })
  workspace?: WorkspaceEntity;

  /** The deliverable outlives its agent's row, should one ever be deleted. */
  @Column({ name: 'agent_id', type: 'uuid', nullable: true })
  agentId!: string | null;

  @ManyToOne(() => AgentEntity, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'agent_id', foreignKeyConstraintName: 'fk_deliverables_agent_id' })
  agent?: AgentEntity | null;

  @Column({ type: 'text' })
  title!: string;

  /** Markdown. */
  @Column({ type: 'text' })
  content!: string;

  /** sha256(content), hex: what stored display content is checked against. */
  @Column({ name: 'content_hash', type: 'char', length: 64 })
  contentHash!: string;

  /** The transformed display form (html, summary, outline); null until transformed. */
  @Column({ name: 'display_content', type: 'jsonb', nullable: true })
  displayContent!: DisplayContent | null;

  /** The content_hash the stored display content was made from. */
  @Column({ name: 'display_content_hash', type: 'char', length: 64, nullable: true })
  displayContentHash!: string | null;

  /** Hash of the transformer adapter, model and prompt that made it. */
  @Column({ name: 'transform_version', type: 'text', nullable: true })
  transformVersion!: string | null;

  @Column({ name: 'transformed_at', type: 'timestamptz', precision: 3, nullable: true })
  transformedAt!: Date | null;

  /** While set and in the future, one API instance is transforming this row; the others wait. */
  @Column({ name: 'display_claim_expires_at', type: 'timestamptz', precision: 3, nullable: true })
  displayClaimExpiresAt!: Date | null;

  @Column({ name: 'created_at', type: 'timestamptz', precision: 3, default: () => 'now()' })
  createdAt!: Date;

  @Column({ name: 'updated_at', type: 'timestamptz', precision: 3, default: () => 'now()' })
  updatedAt!: Date;
}
