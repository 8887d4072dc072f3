import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { WorkspaceRole } from '@orch/contracts';
import type { DataSource, Repository } from 'typeorm';
import { newestFirstPage } from '../../infra/database/keyset.js';
import type { PageRequest } from '../../core/pagination.js';
import { WorkspaceMemberEntity } from './entities/workspace-member.entity.js';
import { WorkspaceEntity } from './entities/workspace.entity.js';

export interface WorkspaceWithRole {
  workspace: WorkspaceEntity;
  role: WorkspaceRole;
}

@Injectable()
export class WorkspacesRepository {
  private readonly workspaces: Repository<WorkspaceEntity>;

  constructor(@InjectDataSource() private readonly db: DataSource) {
    this.workspaces = db.getRepository(WorkspaceEntity);
  }

  findById(id: string): Promise<WorkspaceEntity | null> {
    return this.workspaces.findOneBy({ id });
  }

  /** The user's workspaces, newest first, with their role in each: one query. */
  async listForUser(userId: string, page: PageRequest): Promise<WorkspaceWithRole[]> {
    const qb = this.workspaces
      .createQueryBuilder('w')
      .innerJoin(WorkspaceMemberEntity, 'm', 'm.workspace_id = w.id AND m.user_id = :userId', {
        userId,
      })
      .addSelect('m.role', 'member_role');
    const { entities, raw } = await newestFirstPage(qb, 'w', page).getRawAndEntities<{
      member_role: WorkspaceRole;
    }>();
    return entities.map((workspace, i) => ({ workspace, role: raw[i].member_role }));
  }

  /** The workspace and its owner's membership, together or not at all. */
  createWithOwner(
    ownerId: string,
    name: string,
    description: string | null,
  ): Promise<WorkspaceEntity> {
    return this.db.transaction(async (tx) => {
      const workspace = await tx
        .getRepository(WorkspaceEntity)
        .save({ name, description, ownerId });
      await tx
        .getRepository(WorkspaceMemberEntity)
        .insert({ workspaceId: workspace.id, userId: ownerId, role: WorkspaceRole.Owner });
      return workspace;
    });
  }

  /** Updates and returns the row in one statement. */
  async update(
    id: string,
    changes: Partial<Pick<WorkspaceEntity, 'name' | 'description'>>,
  ): Promise<WorkspaceEntity | null> {
    const result = await this.workspaces
      .createQueryBuilder()
      .update(WorkspaceEntity)
      .set({ ...changes, updatedAt: () => 'now()' })
      .where('id = :id', { id })
      .returning('*')
      .execute();
    const rows = result.raw as Record<string, unknown>[];
    return rows.length > 0 ? this.workspaces.create(fromRaw(rows[0])) : null;
  }

  async delete(id: string): Promise<void> {
    await this.workspaces.delete({ id });
  }

  /** Adds a member; false when they already were one. */
  async addMember(workspaceId: string, userId: string): Promise<WorkspaceMemberEntity | null> {
    const result = await this.db
      .createQueryBuilder()
      .insert()
      .into(WorkspaceMemberEntity)
      .values({ workspaceId, userId, role: WorkspaceRole.Member })
      .orIgnore()
      .returning('*')
      .execute();
    const rows = result.raw as { created_at: Date }[];
    if (rows.length === 0) return null;
    return Object.assign(new WorkspaceMemberEntity(), {
      workspaceId,
      userId,
      role: WorkspaceRole.Member,
      createdAt: rows[0].created_at,
    });
  }
}

function fromRaw(row: Record<string, unknown>): Partial<WorkspaceEntity> {
  return {
    id: row.id as string,
    name: row.name as string,
    description: row.description as string | null,
    ownerId: row.owner_id as string,
    createdAt: row.created_at as Date,
    updatedAt: row.updated_at as Date,
  };
}
