import { Injectable } from '@nestjs/common';
import { ErrorCode, type Goal, type Page } from '@orch/contracts';
import { DomainEvents } from '../../infra/events/domain-events.js';
import { DomainException } from '../../core/domain.exception.js';
import { type PageRequest, toPage } from '../../core/pagination.js';
import { AgentsService } from '../agents/agents.service.js';
import type { CreateGoalDto, UpdateGoalDto } from './dto/goal.dto.js';
import { toGoal } from './goals.mapper.js';
import { GoalsRepository } from './goals.repository.js';
import { GoalMonitorService } from './monitor/goal-monitor.service.js';

@Injectable()
export class GoalsService {
  constructor(
    private readonly goals: GoalsRepository,
    private readonly agents: AgentsService,
    private readonly events: DomainEvents,
    private readonly monitor: GoalMonitorService,
  ) {}

  async list(workspaceId: string, page: PageRequest): Promise<Page<Goal>> {
    return toPage(await this.goals.listPage(workspaceId, page), page.limit, toGoal);
  }

  async get(id: string): Promise<Goal> {
    const goal = await this.goals.findById(id);
    if (!goal) throw DomainException.notFound(ErrorCode.GoalNotFound, 'Goal');
    return toGoal(goal);
  }

  async create(workspaceId: string, dto: CreateGoalDto): Promise<Goal> {
    const agentIds = await this.checkedAgentIds(workspaceId, dto.agentIds ?? []);
    const goal = await this.goals.create({
      workspaceId,
      title: dto.title.trim(),
      description: dto.description ?? null,
      agentIds,
      targetDeliverables: dto.targetDeliverables ?? null,
      windowHours: dto.windowHours ?? 24,
      nextCheckAt: new Date(),
    });
    return this.announce(toGoal(goal));
  }

  async update(workspaceId: string, id: string, dto: UpdateGoalDto): Promise<Goal> {
    const agentIds = dto.agentIds
      ? await this.checkedAgentIds(workspaceId, dto.agentIds)
      : undefined;
    const goal = await this.goals.update(id, {
      ...(dto.title !== undefined ? { title: dto.title.trim() } : {}),
      ...(dto.description !== undefined ? { description: dto.description } : {}),
      ...(agentIds !== undefined ? { agentIds } : {}),
      ...(dto.targetDeliverables !== undefined
        ? { targetDeliverables: dto.targetDeliverables }
        : {}),
      ...(dto.windowHours !== undefined ? { windowHours: dto.windowHours } : {}),
      ...(dto.status !== undefined ? { status: dto.status } : {}),
    });
    if (!goal) throw DomainException.notFound(ErrorCode.GoalNotFound, 'Goal');
    return this.announce(toGoal(goal));
  }

  private async announce(goal: Goal): Promise<Goal> {
    await this.monitor.goalsChanged(goal.workspaceId);
    await this.events.publish({
      type: 'goal.updated',
      workspaceId: goal.workspaceId,
      payload: { goal },
    });
    return goal;
  }

  /** Every id must be an agent of this workspace; stored lowercase, without repeats. */
  private async checkedAgentIds(workspaceId: string, ids: string[]): Promise<string[]> {
    return [...(await this.agents.assertInWorkspace(workspaceId, ids, 'agentIds')).keys()];
  }
}
