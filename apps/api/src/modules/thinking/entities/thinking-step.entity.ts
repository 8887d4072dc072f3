import { THINKING_STEP_KINDS, type ThinkingStepKind } from '@orch/contracts';
import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { ThinkingProcessEntity } from './thinking-process.entity.js';

@Entity({ name: 'thinking_steps' })
@Index('idx_thinking_steps_process_id_created_at_id', ['processId', 'createdAt', 'id'])
export class ThinkingStepEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_thinking_steps' })
  id!: string;

  @Column({ name: 'process_id', type: 'uuid' })
  processId!: string;

  @ManyToOne(() => ThinkingProcessEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'process_id', foreignKeyConstraintName: 'fk_thinking_steps_process_id' })
  process?: ThinkingProcessEntity;

  @Column({ type: 'enum', enum: THINKING_STEP_KINDS, enumName: 'thinking_step_kind' })
  kind!: ThinkingStepKind;

  @Column({ type: 'text' })
  content!: string;

  @Column({ name: 'created_at', type: 'timestamptz', precision: 3, default: () => 'now()' })
  createdAt!: Date;
}
