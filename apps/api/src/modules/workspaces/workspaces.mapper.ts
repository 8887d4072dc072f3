import type { Workspace, WorkspaceForUser, WorkspaceMember, WorkspaceRole } from '@orch/contracts';
import type { WorkspaceEntity } from './entities/workspace.entity.js';

export function toWorkspace(entity: WorkspaceEntity): Workspace {
  return {
    id: entity.id,
    name: entity.name,
    description: entity.description,
    ownerId: entity.ownerId,
    createdAt: entity.createdAt.toISOString(),
    updatedAt: entity.updatedAt.toISOString(),
  };
}

export function toWorkspaceForUser(entity: WorkspaceEntity, role: WorkspaceRole): WorkspaceForUser {
  return { ...toWorkspace(entity), role };
}

export interface MemberRow {
  userId: string;
  email: string;
  name: string;
  role: WorkspaceRole;
  createdAt: Date;
}

export function toMember(row: MemberRow): WorkspaceMember {
  return {
    userId: row.userId,
    email: row.email,
    name: row.name,
    role: row.role,
    joinedAt: row.createdAt.toISOString(),
  };
}
