import { Injectable } from '@nestjs/common';
import { type Agent, type AgentLite, AgentStatus, ErrorCode, type Page } from '@orch/contracts';
import { DomainException } from '../../infra/http/domain.exception.js';
import { type PageRequest, toPage } from '../../infra/http/pagination.js';
import { toAgent, toAgentLite } from './agents.mapper.js';
import { AgentsRepository } from './agents.repository.js';
import type { CreateAgentDto, UpdateAgentDto } from './dto/agent.dto.js';

export const DEFAULT_MODEL = 'gpt-4o-mini';

@Injectable()
export class AgentsService {
  constructor(private readonly agents: AgentsRepository) {}

  /** Agents with their settings: two queries whatever the page size. */
  async list(workspaceId: string, page: PageRequest): Promise<Page<Agent>> {
    const rows = await this.agents.listPage(workspaceId, page);
    const settings = await this.agents.settingsFor(rows.slice(0, page.limit).map((a) => a.id));
    return toPage(rows, page.limit, (a) => toAgent(a, settings.get(a.id) ?? {}));
  }

  async listLite(workspaceId: string, page: PageRequest): Promise<Page<AgentLite>> {
    return toPage(await this.agents.listLitePage(workspaceId, page), page.limit, toAgentLite);
  }

  async get(id: string): Promise<Agent> {
    const agent = await this.agents.findById(id);
    if (!agent) throw DomainException.notFound(ErrorCode.AgentNotFound, 'Agent');
    const settings = await this.agents.settingsFor([id]);
    return toAgent(agent, settings.get(id) ?? {});
  }

  async create(workspaceId: string, dto: CreateAgentDto): Promise<Agent> {
    const settings = dto.settings ?? {};
    const agent = await this.agents.create({
      workspaceId,
      name: dto.name.trim(),
      role: dto.role.trim(),
      model: dto.model?.trim() ?? DEFAULT_MODEL,
      settings,
    });
    return toAgent(agent, settings);
  }

  /** Terminated is final: any change to a terminated agent is a 409. */
  async update(id: string, dto: UpdateAgentDto): Promise<Agent> {
    const updated = await this.agents.update(
      id,
      {
        name: dto.name?.trim(),
        role: dto.role?.trim(),
        model: dto.model?.trim(),
        status: dto.status,
        settings: dto.settings,
      },
      (current) => {
        if (current.status === AgentStatus.Terminated) {
          throw new DomainException(
            ErrorCode.AgentTerminated,
            'A terminated agent cannot be changed',
          );
        }
      },
    );
    if (!updated) throw DomainException.notFound(ErrorCode.AgentNotFound, 'Agent');
    const settings = await this.agents.settingsFor([id]);
    return toAgent(updated, settings.get(id) ?? {});
  }

  /** For other modules: which of `ids` are agents of the workspace. */
  existingIds(workspaceId: string, ids: string[]): Promise<Set<string>> {
    return this.agents.existingIds(workspaceId, ids);
  }

  /** For other modules: the agent if it is in the workspace and not terminated. */
  async findActive(
    workspaceId: string,
    id: string,
  ): Promise<{ id: string; status: AgentStatus } | null> {
    const agent = await this.agents.findById(id);
    if (!agent || agent.workspaceId !== workspaceId) return null;
    return { id: agent.id, status: agent.status };
  }
}
