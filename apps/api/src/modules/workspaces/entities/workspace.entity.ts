import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { UserEntity } from '../../users/entities/user.entity.js';

@Entity({ name: 'workspaces' })
@Index('idx_workspaces_owner_id', ['ownerId'])
export class WorkspaceEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_workspaces' })
  id!: string;

  @Column({ type: 'text' })
  name!: string;

  @Column({ type: 'text', nullable: true })
  description!: string | null;

  @Column({ name: 'owner_id', type: 'uuid' })
  ownerId!: string;

  /** A user who owns workspaces can't be deleted until they are handed over. */
  @ManyToOne(() => UserEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'owner_id', foreignKeyConstraintName: 'fk_workspaces_owner_id' })
  owner?: UserEntity;

  @Column({ name: 'created_at', type: 'timestamptz', precision: 3, default: () => 'now()' })
  createdAt!: Date;

  @Column({ name: 'updated_at', type: 'timestamptz', precision: 3, default: () => 'now()' })
  updatedAt!: Date;
}
