import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, Repository } from 'typeorm';
import { newestFirstPage } from '../../infra/database/keyset.js';
import type { PageRequest } from '../../core/pagination.js';
import { GoalEntity } from './entities/goal.entity.js';

export type NewGoal = Pick<
  GoalEntity,
  | 'workspaceId'
  | 'title'
  | 'description'
  | 'agentIds'
  | 'targetDeliverables'
  | 'windowHours'
  | 'nextCheckAt'
>;
export type GoalChanges = Partial<
  Pick<
    GoalEntity,
    'title' | 'description' | 'agentIds' | 'targetDeliverables' | 'windowHours' | 'status'
  >
>;

@Injectable()
export class GoalsRepository {
  private readonly goals: Repository<GoalEntity>;

  constructor(@InjectDataSource() db: DataSource) {
    this.goals = db.getRepository(GoalEntity);
  }

  findById(id: string): Promise<GoalEntity | null> {
    return this.goals.findOneBy({ id });
  }

  listPage(workspaceId: string, page: PageRequest): Promise<GoalEntity[]> {
    const qb = this.goals
      .createQueryBuilder('g')
      .where('g.workspace_id = :workspaceId', { workspaceId });
    return newestFirstPage(qb, 'g', page).getMany();
  }

  create(goal: NewGoal): Promise<GoalEntity> {
    return this.goals.save(this.goals.create(goal));
  }

  async update(id: string, changes: GoalChanges): Promise<GoalEntity | null> {
    await this.goals.update({ id }, { ...changes, updatedAt: () => 'now()' });
    return this.findById(id);
  }
}
