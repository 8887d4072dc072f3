import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import {
  WORKSPACE_ROLES,
  type Workspace,
  type WorkspaceForUser,
  type WorkspaceMember,
  type WorkspaceRole,
} from '@orch/contracts';
import { sameKeys } from '../../../infra/http/openapi/contract-shape.js';
import { pageOf } from '../../../infra/http/openapi/responses.js';

@ApiSchema({ name: 'Workspace' })
export class WorkspaceDto implements Workspace {
  @ApiProperty({ format: 'uuid', example: '0c9d6a52-3f1e-4b7a-8e2d-5a4c3b2a1f00' })
  id!: string;

  @ApiProperty({ example: 'Research lab' })
  name!: string;

  @ApiProperty({ type: String, nullable: true, example: 'Agents that read papers for us' })
  description!: string | null;

  @ApiProperty({ format: 'uuid', example: '5b2f7c1e-8a0d-4a3f-9d7e-2c1b0a9f8e7d' })
  ownerId!: string;

  @ApiProperty({ format: 'date-time', example: '2026-11-30T09:15:00.000Z' })
  createdAt!: string;

  @ApiProperty({ format: 'date-time', example: '2026-11-30T10:02:11.000Z' })
  updatedAt!: string;
}

@ApiSchema({ name: 'WorkspaceForUser', description: 'A workspace with the caller’s role in it' })
export class WorkspaceForUserDto extends WorkspaceDto implements WorkspaceForUser {
  @ApiProperty({ enum: WORKSPACE_ROLES, enumName: 'WorkspaceRole', example: 'owner' })
  role!: WorkspaceRole;
}

@ApiSchema({ name: 'WorkspaceMember' })
export class WorkspaceMemberDto implements WorkspaceMember {
  @ApiProperty({ format: 'uuid', example: '6c1d2e3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f' })
  userId!: string;

  @ApiProperty({ format: 'email', example: 'ada@example.com' })
  email!: string;

  @ApiProperty({ example: 'Ada Lovelace' })
  name!: string;

  @ApiProperty({ enum: WORKSPACE_ROLES, enumName: 'WorkspaceRole', example: 'member' })
  role!: WorkspaceRole;

  @ApiProperty({ format: 'date-time', example: '2026-11-30T11:30:00.000Z' })
  joinedAt!: string;
}

export const WorkspaceForUserPageDto = pageOf(WorkspaceForUserDto, 'WorkspaceForUserPage');

sameKeys<WorkspaceDto, Workspace>(true);
sameKeys<WorkspaceForUserDto, WorkspaceForUser>(true);
sameKeys<WorkspaceMemberDto, WorkspaceMember>(true);
