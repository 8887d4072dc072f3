import { Injectable } from '@nestjs/common';
import { AGENT_STATUSES, type AgentStatus, type Dashboard, ErrorCode } from '@orch/contracts';
import { DomainException } from '../../infra/http/domain.exception.js';
import { Optimizations } from '../../infra/optimizations/optimizations.js';
import { toAgent } from '../agents/agents.mapper.js';
import { toDeliverable } from '../deliverables/deliverables.mapper.js';
import { toGoal } from '../goals/goals.mapper.js';
import { toWorkspace } from '../workspaces/workspaces.mapper.js';
import { DashboardBaselineRepository } from './baseline/dashboard-baseline.repository.js';
import { DashboardRepository } from './dashboard.repository.js';

@Injectable()
export class DashboardService {
  constructor(
    private readonly dashboard: DashboardRepository,
    private readonly baseline: DashboardBaselineRepository,
    private readonly optimizations: Optimizations,
  ) {}

  async get(workspaceId: string): Promise<Dashboard> {
    const reader = this.optimizations.isOn('batching') ? this.dashboard : this.baseline;
    const rows = await reader.load(workspaceId);
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
