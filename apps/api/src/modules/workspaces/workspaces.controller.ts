import { Controller, Delete, Get, HttpCode, Patch, Post } from '@nestjs/common';
import { Body, Query } from '../../infra/http/validation.js';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Page, Workspace, WorkspaceForUser, WorkspaceMember } from '@orch/contracts';
import type { CachedBody } from '../../infra/http/cached-body.js';
import { PageQueryDto, pageRequest } from '../../infra/http/pagination.js';
import {
  type AuthContext,
  Authenticated,
  CurrentAccess,
  CurrentUser,
  type WorkspaceAccess,
  WorkspaceScoped,
} from '../auth/access.decorators.js';
import { AddMemberDto, CreateWorkspaceDto, UpdateWorkspaceDto } from './dto/workspace.dto.js';
import { WorkspacesService } from './workspaces.service.js';
import { ApiErrors, ApiNoContent, ApiOk } from '../../infra/http/openapi/responses.js';
import {
  WorkspaceDto,
  WorkspaceForUserPageDto,
  WorkspaceMemberDto,
} from './dto/workspace.response.js';
import { type Awaitable } from '../../core/awaitable.js';

@ApiTags('workspaces')
@ApiBearerAuth()
@Controller('workspaces')
export class WorkspacesController {
  constructor(private readonly workspaces: WorkspacesService) {}

  @ApiOk(WorkspaceForUserPageDto, { description: 'The workspaces you belong to, with your role' })
  @ApiErrors(400)
  @Authenticated()
  @Get()
  list(
    @CurrentUser() user: AuthContext,
    @Query() query: PageQueryDto,
  ): Promise<Page<WorkspaceForUser>> {
    return this.workspaces.listForUser(user.userId, pageRequest(query));
  }

  @ApiOk(WorkspaceDto, { status: 201, description: 'The workspace, created; you own it' })
  @Authenticated()
  @Post()
  create(@CurrentUser() user: AuthContext, @Body() dto: CreateWorkspaceDto): Promise<Workspace> {
    return this.workspaces.create(user.userId, dto);
  }

  @ApiOk(WorkspaceDto, {
    description: 'The workspace (from the metadata cache)',
    conditional: true,
  })
  @WorkspaceScoped('workspace')
  @Get(':id')
  get(@CurrentAccess() access: WorkspaceAccess): Awaitable<CachedBody<Workspace>> {
    return this.workspaces.get(access.workspaceId);
  }

  @ApiOk(WorkspaceDto, { description: 'The workspace, updated' })
  @WorkspaceScoped('workspace', { ownerOnly: true })
  @Patch(':id')
  update(
    @CurrentAccess() access: WorkspaceAccess,
    @Body() dto: UpdateWorkspaceDto,
  ): Promise<Workspace> {
    return this.workspaces.update(access.workspaceId, dto);
  }

  @ApiNoContent('Deleted, with everything in it')
  @WorkspaceScoped('workspace', { ownerOnly: true })
  @Delete(':id')
  @HttpCode(204)
  delete(@CurrentAccess() access: WorkspaceAccess): Promise<void> {
    return this.workspaces.delete(access.workspaceId);
  }

  @ApiOk(WorkspaceMemberDto, { status: 201, description: 'The new member' })
  @ApiErrors(
    [404, 'No such workspace of yours, or no user with that email (USER_NOT_FOUND)'],
    [409, 'Already a member (ALREADY_MEMBER)'],
  )
  @WorkspaceScoped('workspace', { ownerOnly: true })
  @Post(':id/members')
  addMember(
    @CurrentAccess() access: WorkspaceAccess,
    @Body() dto: AddMemberDto,
  ): Promise<WorkspaceMember> {
    return this.workspaces.addMember(access.workspaceId, dto.email);
  }
}
