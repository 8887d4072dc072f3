import { WORKSPACE_ROLES, type WorkspaceRole } from '@orch/contracts';
import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { UserEntity } from '../../users/entities/user.entity.js';
import { WorkspaceEntity } from './workspace.entity.js';

/**
 * Membership is the access rule: every workspace-scoped request is checked
 * against the primary key (workspace_id, user_id). The second index serves
 * "the workspaces of this user".
 */
@Entity({ name: 'workspace_members' })
@Index('idx_workspace_members_user_id_workspace_id', ['userId', 'workspaceId'])
export class WorkspaceMemberEntity {
  @PrimaryColumn({
    name: 'workspace_id',
    type: 'uuid',
    primaryKeyConstraintName: 'pk_workspace_members',
  })
  workspaceId!: string;

  @PrimaryColumn({
    name: 'user_id',
    type: 'uuid',
    primaryKeyConstraintName: 'pk_workspace_members',
  })
  userId!: string;

  @Column({ type: 'enum', enum: WORKSPACE_ROLES, enumName: 'workspace_role' })
  role!: WorkspaceRole;

  @ManyToOne(() => WorkspaceEntity, { onDelete: 'CASCADE' })
  @JoinColumn({
    name: 'workspace_id',
    foreignKeyConstraintName: 'fk_workspace_members_workspace_id',
  })
  workspace?: WorkspaceEntity;

  @ManyToOne(() => UserEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'fk_workspace_members_user_id' })
  user?: UserEntity;

  @Column({ name: 'created_at', type: 'timestamptz', precision: 3, default: () => 'now()' })
  createdAt!: Date;
}
