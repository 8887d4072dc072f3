import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { AgentSettings } from '@orch/contracts';
import type { DataSource } from 'typeorm';
import { baselineOffset } from '../../../infra/database/offset.js';
import type { AgentListReader } from '../agent-list-reader.js';
import type { PageRequest } from '../../../core/pagination.js';
import { AgentSettingEntity } from '../entities/agent-setting.entity.js';
import { AgentEntity } from '../entities/agent.entity.js';

/**
 * The naive first version (OPTIMIZATIONS without `batching`): OFFSET pages of
 * whole agent rows, then each agent's settings with its own query. 1 + N.
 */
@Injectable()
export class AgentsBaselineRepository implements AgentListReader {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async listPage(workspaceId: string, page: PageRequest): Promise<AgentEntity[]> {
    const agents = this.db.getRepository(AgentEntity);
    const skip = await baselineOffset(agents, { column: 'workspace_id', value: workspaceId }, page);
    return agents.find({
      where: { workspaceId },
      order: { createdAt: 'DESC', id: 'DESC' },
      skip,
      take: page.limit + 1,
    });
  }

  async listLitePage(workspaceId: string, page: PageRequest): Promise<AgentEntity[]> {
    const agents = this.db.getRepository(AgentEntity);
    const skip = await baselineOffset(agents, { column: 'workspace_id', value: workspaceId }, page);
    return agents.find({
      select: { id: true, name: true, status: true, updatedAt: true, createdAt: true },
      where: { workspaceId },
      order: { createdAt: 'DESC', id: 'DESC' },
      skip,
      take: page.limit + 1,
    });
  }

  async settingsFor(agentIds: string[]): Promise<Map<string, AgentSettings>> {
    const byAgent = new Map<string, AgentSettings>();
    for (const agentId of agentIds) {
      const rows = await this.db.getRepository(AgentSettingEntity).find({ where: { agentId } });
      byAgent.set(agentId, Object.fromEntries(rows.map((r) => [r.key, r.value])));
    }
    return byAgent;
  }
}
