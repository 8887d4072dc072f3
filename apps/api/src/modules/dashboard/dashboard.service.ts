import { Injectable } from '@nestjs/common';
import { AGENT_STATUSES, type AgentStatus, type Dashboard, ErrorCode } from '@orch/contracts';
import { CacheService } from '../../infra/cache/cache.service.js';
import type { CachedBody } from '../../infra/http/cached-body.js';
import { DomainException } from '../../core/domain.exception.js';
import { toAgent } from '../agents/agents.mapper.js';
import { toDeliverable } from '../deliverables/deliverables.mapper.js';
import { toGoal } from '../goals/goals.mapper.js';
import { toWorkspace } from '../workspaces/workspaces.mapper.js';
import { DashboardReader } from './dashboard-reader.js';
import { dashboardCache } from './dashboard.cache.js';
import { type Awaitable } from '../../core/awaitable.js';

@Injectable()
export class DashboardService {
  constructor(
    private readonly reader: DashboardReader,
    private readonly cache: CacheService,
  ) {}

  /** The whole workspace page, serialised once and cached until anything on it changes. */
  getBody(workspaceId: string): Awaitable<CachedBody<Dashboard>> {
    return this.cache.body(dashboardCache, workspaceId, () => this.load(workspaceId));
  }

  /** The page as an object, for callers inside the app (the demo simulator). */
  async get(workspaceId: string): Promise<Dashboard> {
    return (await this.getBody(workspaceId)).parse();
  }

  private async load(workspaceId: string): Promise<Dashboard> {
    const rows = await this.reader.load(workspaceId);
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
