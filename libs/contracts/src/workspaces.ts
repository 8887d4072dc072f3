import type { WorkspaceRole } from './enums.js';

export interface Workspace {
  id: string;
  name: string;
  description: string | null;
  ownerId: string;
  createdAt: string;
  updatedAt: string;
}

/** A workspace as seen by one user: with that user's role in it. */
export interface WorkspaceForUser extends Workspace {
  role: WorkspaceRole;
}

export interface CreateWorkspaceRequest {
  name: string;
  description?: string | null;
}

export type UpdateWorkspaceRequest = Partial<CreateWorkspaceRequest>;

export interface AddMemberRequest {
  email: string;
}

export interface WorkspaceMember {
  userId: string;
  email: string;
  name: string;
  role: WorkspaceRole;
  joinedAt: string;
}
