import { Injectable } from '@nestjs/common';
import { AGENT_STATUSES, type AgentStatus, type Dashboard, ErrorCode } from '@orch/contracts';
import { DomainException } from '../../infra/http/domain.exception.js';
import { toAgent } from '../agents/agents.mapper.js';
import { toDeliverable } from '../deliverables/deliverables.mapper.js';
import { toGoal } from '../goals/goals.mapper.js';
import { toWorkspace } from '../workspaces/workspaces.mapper.js';
import { DashboardRepository } from './dashboard.repository.js';

@Injectable()
export class DashboardService {
  constructor(private readonly dashboard: DashboardRepository) {}

  async get(workspaceId: string): Promise<Dashboard> {
    const rows = await this.dashboard.load(workspaceId);
    if (!rows) throw DomainException.notFound(ErrorCode.WorkspaceNotFound, 'Workspace');
    const agentStatusCounts = Object.fromEntries(
      AGENT_STATUSES.map((s) => [s, rows.statusCounts[s] ?? 0]),
    ) as Record<AgentStatus, number>;
    return {
      workspace: toWorkspace(rows.workspace),
      agents: rows.agents.map(({ agent, settings }) => toAgent(agent, settings)),
      agentStatusCounts,
      recentDeliverables: rows.recentDeliverables.map(toDeliverable),
      goals: rows.goals.map(toGoal),
      counts: rows.counts,
    };
  }
}
