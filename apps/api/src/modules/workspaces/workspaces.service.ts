import { Injectable } from '@nestjs/common';
import {
  ErrorCode,
  type Page,
  type Workspace,
  type WorkspaceForUser,
  type WorkspaceMember,
} from '@orch/contracts';
import { CacheService } from '../../infra/cache/cache.service.js';
import type { CachedBody } from '../../infra/http/cached-body.js';
import { DomainEvents } from '../../infra/events/domain-events.js';
import { DomainException } from '../../core/domain.exception.js';
import { type PageRequest, toPage } from '../../core/pagination.js';
import { UsersService } from '../users/users.service.js';
import type { CreateWorkspaceDto, UpdateWorkspaceDto } from './dto/workspace.dto.js';
import { workspaceCache } from './workspaces.cache.js';
import { toMember, toWorkspace, toWorkspaceForUser } from './workspaces.mapper.js';
import { WorkspacesRepository } from './workspaces.repository.js';
import { andThen, type Awaitable } from '../../core/awaitable.js';

@Injectable()
export class WorkspacesService {
  constructor(
    private readonly workspaces: WorkspacesRepository,
    private readonly users: UsersService,
    private readonly events: DomainEvents,
    private readonly cache: CacheService,
  ) {}

  async listForUser(userId: string, page: PageRequest): Promise<Page<WorkspaceForUser>> {
    const rows = await this.workspaces.listForUser(userId, page);
    return toPage(
      rows.map((r) => Object.assign(r, { createdAt: r.workspace.createdAt, id: r.workspace.id })),
      page.limit,
      (r) => toWorkspaceForUser(r.workspace, r.role),
    );
  }

  /** Workspace metadata, from the cache until the workspace changes (a hit: now, no promise). */
  get(id: string): Awaitable<CachedBody<Workspace>> {
    const workspace = this.cache.bodyOrNull(workspaceCache, id, async () => {
      const row = await this.workspaces.findById(id);
      return row ? toWorkspace(row) : null;
    });
    return andThen(workspace, found);
  }

  async create(ownerId: string, dto: CreateWorkspaceDto): Promise<Workspace> {
    return toWorkspace(
      await this.workspaces.createWithOwner(ownerId, dto.name.trim(), dto.description ?? null),
    );
  }

  async update(id: string, dto: UpdateWorkspaceDto): Promise<Workspace> {
    const updated = await this.workspaces.update(id, {
      ...(dto.name !== undefined ? { name: dto.name.trim() } : {}),
      ...(dto.description !== undefined ? { description: dto.description } : {}),
    });
    if (!updated) throw DomainException.notFound(ErrorCode.WorkspaceNotFound, 'Workspace');
    const workspace = toWorkspace(updated);
    await this.events.publish({
      type: 'workspace.updated',
      workspaceId: id,
      payload: { workspace },
    });
    return workspace;
  }

  async delete(id: string): Promise<void> {
    await this.workspaces.delete(id);
    await this.events.publish({ type: 'workspace.deleted', workspaceId: id });
  }

  async addMember(workspaceId: string, email: string): Promise<WorkspaceMember> {
    const user = await this.users.findByEmail(email);
    if (!user) throw new DomainException(ErrorCode.UserNotFound, 'No user has that email');
    const member = await this.workspaces.addMember(workspaceId, user.id);
    if (!member)
      throw new DomainException(ErrorCode.AlreadyMember, 'That user is already a member');
    await this.events.publish({ type: 'workspace.members_changed', workspaceId });
    return toMember({
      userId: user.id,
      email: user.email,
      name: user.name,
      role: member.role,
      createdAt: member.createdAt,
    });
  }
}

function found(workspace: CachedBody<Workspace> | null): CachedBody<Workspace> {
  if (!workspace) throw DomainException.notFound(ErrorCode.WorkspaceNotFound, 'Workspace');
  return workspace;
}
