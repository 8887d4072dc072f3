import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, Repository } from 'typeorm';
import { newestFirstPage } from '../../infra/database/keyset.js';
import type { PageRequest } from '../../core/pagination.js';
import { DeliverableEntity } from './entities/deliverable.entity.js';

export type NewDeliverable = Pick<
  DeliverableEntity,
  'workspaceId' | 'agentId' | 'title' | 'content' | 'contentHash'
>;
export type DeliverableChanges = Partial<
  Pick<DeliverableEntity, 'agentId' | 'title' | 'content' | 'contentHash'>
>;

/** Everything a read serves: the claim and transformed_at columns stay out. */
const LIST_COLUMNS = [
  'id',
  'workspaceId',
  'agentId',
  'title',
  'content',
  'contentHash',
  'displayContent',
  'displayContentHash',
  'transformVersion',
  'createdAt',
  'updatedAt',
] as const;
const LIST_SELECT = Object.fromEntries(LIST_COLUMNS.map((c) => [c, true])) as Record<
  (typeof LIST_COLUMNS)[number],
  true
>;

@Injectable()
export class DeliverablesRepository {
  private readonly deliverables: Repository<DeliverableEntity>;

  constructor(@InjectDataSource() db: DataSource) {
    this.deliverables = db.getRepository(DeliverableEntity);
  }

  findById(id: string): Promise<DeliverableEntity | null> {
    return this.deliverables.findOne({ select: LIST_SELECT, where: { id } });
  }

  listPage(workspaceId: string, page: PageRequest): Promise<DeliverableEntity[]> {
    const qb = this.deliverables
      .createQueryBuilder('d')
      .select(LIST_COLUMNS.map((c) => `d.${c}`))
      .where('d.workspace_id = :workspaceId', { workspaceId });
    return newestFirstPage(qb, 'd', page).getMany();
  }

  async create(deliverable: NewDeliverable): Promise<DeliverableEntity> {
    return this.deliverables.save(this.deliverables.create(deliverable));
  }

  /** Updates and returns the row in one statement; null if it is gone. */
  async update(id: string, changes: DeliverableChanges): Promise<DeliverableEntity | null> {
    const result = await this.deliverables
      .createQueryBuilder()
      .update(DeliverableEntity)
      .set({ ...changes, updatedAt: () => 'now()' })
      .where('id = :id', { id })
      .returning('*')
      .execute();
    const row = (result.raw as Record<string, unknown>[])[0];
    return row ? deliverableFromRow(row) : null;
  }
}

/** A raw `RETURNING *` row of deliverables as the entity reads return it. */
export function deliverableFromRow(row: Record<string, unknown>): DeliverableEntity {
  return Object.assign(new DeliverableEntity(), {
    id: row.id as string,
    workspaceId: row.workspace_id as string,
    agentId: row.agent_id as string | null,
    title: row.title as string,
    content: row.content as string,
    contentHash: row.content_hash as string,
    displayContent: row.display_content as DeliverableEntity['displayContent'],
    displayContentHash: row.display_content_hash as string | null,
    transformVersion: row.transform_version as string | null,
    createdAt: row.created_at as Date,
    updatedAt: row.updated_at as Date,
  });
}
