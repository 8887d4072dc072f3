import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { type AgentStatus, DASHBOARD_RECENT_DELIVERABLES } from '@orch/contracts';
import type { DataSource } from 'typeorm';
import { AgentSettingEntity } from '../../agents/entities/agent-setting.entity.js';
import { AgentEntity } from '../../agents/entities/agent.entity.js';
import { DeliverableEntity } from '../../deliverables/entities/deliverable.entity.js';
import { GoalEntity } from '../../goals/entities/goal.entity.js';
import { ThinkingProcessEntity } from '../../thinking/entities/thinking-process.entity.js';
import { WorkspaceEntity } from '../../workspaces/entities/workspace.entity.js';
import type { DashboardReader } from '../dashboard-reader.js';
import { DASHBOARD_MAX_AGENTS, type DashboardRows } from '../dashboard.repository.js';

/**
 * The naive first version (OPTIMIZATIONS without `batching`): one query per
 * dashboard part, one per count, and one per agent for its settings. 9 + N.
 */
@Injectable()
export class DashboardBaselineRepository implements DashboardReader {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async load(workspaceId: string): Promise<DashboardRows | null> {
    const workspace = await this.db.getRepository(WorkspaceEntity).findOneBy({ id: workspaceId });
    if (!workspace) return null;
    const agents = await this.db.getRepository(AgentEntity).find({
      where: { workspaceId },
      order: { createdAt: 'DESC', id: 'DESC' },
      take: DASHBOARD_MAX_AGENTS,
    });
    const withSettings = [];
    for (const agent of agents) {
      const rows = await this.db
        .getRepository(AgentSettingEntity)
        .find({ where: { agentId: agent.id } });
      withSettings.push({ agent, settings: Object.fromEntries(rows.map((r) => [r.key, r.value])) });
    }
    const statusRows = await this.db
      .getRepository(AgentEntity)
      .createQueryBuilder('a')
      .select('a.status', 'status')
      .addSelect('count(*)::int', 'n')
      .where('a.workspace_id = :workspaceId', { workspaceId })
      .groupBy('a.status')
      .getRawMany<{ status: AgentStatus; n: number }>();
    const recentDeliverables = await this.db.getRepository(DeliverableEntity).find({
      select: {
        id: true,
        workspaceId: true,
        agentId: true,
        title: true,
        content: true,
        contentHash: true,
        createdAt: true,
        updatedAt: true,
      },
      where: { workspaceId },
      order: { createdAt: 'DESC', id: 'DESC' },
      take: DASHBOARD_RECENT_DELIVERABLES,
    });
    const goals = await this.db.getRepository(GoalEntity).find({
      where: { workspaceId },
      order: { createdAt: 'DESC', id: 'DESC' },
    });
    return {
      workspace,
      statusCounts: Object.fromEntries(statusRows.map((r) => [r.status, r.n])),
      counts: {
        agents: await this.db.getRepository(AgentEntity).countBy({ workspaceId }),
        deliverables: await this.db.getRepository(DeliverableEntity).countBy({ workspaceId }),
        thinkingProcesses: await this.db
          .getRepository(ThinkingProcessEntity)
          .countBy({ workspaceId }),
        goals: await this.db.getRepository(GoalEntity).countBy({ workspaceId }),
      },
      agents: withSettings,
      recentDeliverables,
      goals,
    };
  }
}
