import { Column, Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { WorkspaceEntity } from '../../workspaces/entities/workspace.entity.js';

@Entity({ name: 'quota_notifications' })
export class QuotaNotificationEntity {
  @PrimaryColumn({
    name: 'workspace_id',
    type: 'uuid',
    primaryKeyConstraintName: 'pk_quota_notifications',
  })
  workspaceId!: string;

  @PrimaryColumn({ type: 'date', primaryKeyConstraintName: 'pk_quota_notifications' })
  day!: string;

  @PrimaryColumn({ type: 'smallint', primaryKeyConstraintName: 'pk_quota_notifications' })
  threshold!: number;

  @Column({ type: 'integer' })
  used!: number;

  @Column({ type: 'integer' })
  quota!: number;

  @ManyToOne(() => WorkspaceEntity, { onDelete: 'CASCADE' })
  @JoinColumn({
    name: 'workspace_id',
    foreignKeyConstraintName: 'fk_quota_notifications_workspace_id',
  })
  workspace?: WorkspaceEntity;

  @Column({ name: 'created_at', type: 'timestamptz', precision: 3, default: () => 'now()' })
  createdAt!: Date;
}
