import { Injectable } from '@nestjs/common';
import { type Agent, type AgentLite, AgentStatus, ErrorCode, type Page } from '@orch/contracts';
import { cacheKeys, cacheTags } from '../../infra/cache/cache-keys.js';
import { CacheService } from '../../infra/cache/cache.service.js';
import { requestLoader } from '../../infra/database/request-loader.js';
import { DomainEvents } from '../../infra/events/domain-events.js';
import { DomainException } from '../../infra/http/domain.exception.js';
import { Optimizations } from '../../infra/optimizations/optimizations.js';
import { encodeCursor, type PageRequest, toPage } from '../../infra/http/pagination.js';
import { toAgent, toAgentLite } from './agents.mapper.js';
import { AgentsRepository } from './agents.repository.js';
import type { AgentEntity } from './entities/agent.entity.js';
import { AgentsBaselineRepository } from './baseline/agents-baseline.repository.js';
import type { CreateAgentDto, UpdateAgentDto } from './dto/agent.dto.js';

export const DEFAULT_MODEL = 'gpt-4o-mini';

@Injectable()
export class AgentsService {
  constructor(
    private readonly agents: AgentsRepository,
    private readonly baseline: AgentsBaselineRepository,
    private readonly optimizations: Optimizations,
    private readonly events: DomainEvents,
    private readonly cache: CacheService,
  ) {}

  /** The list reads: batched, or the naive first version when `batching` is off. */
  private get reader(): AgentsBaselineRepository | AgentsRepository {
    return this.optimizations.isOn('batching') ? this.agents : this.baseline;
  }

  /** Agents with their settings: two queries whatever the page size (1 + N in the baseline). */
  list(workspaceId: string, page: PageRequest): Promise<Page<Agent>> {
    return this.cache.wrap(
      'agents',
      cacheKeys.agents(workspaceId, 'full', page.limit, page.after && encodeCursor(page.after)),
      [cacheTags.agents(workspaceId)],
      () => this.loadList(workspaceId, page),
    );
  }

  private async loadList(workspaceId: string, page: PageRequest): Promise<Page<Agent>> {
    const reader = this.reader;
    const rows = await reader.listPage(workspaceId, page);
    const settings = await reader.settingsFor(rows.slice(0, page.limit).map((a) => a.id));
    return toPage(rows, page.limit, (a) => toAgent(a, settings.get(a.id) ?? {}));
  }

  listLite(workspaceId: string, page: PageRequest): Promise<Page<AgentLite>> {
    return this.cache.wrap(
      'agents',
      cacheKeys.agents(workspaceId, 'lite', page.limit, page.after && encodeCursor(page.after)),
      [cacheTags.agents(workspaceId)],
      () => this.loadLite(workspaceId, page),
    );
  }

  private async loadLite(workspaceId: string, page: PageRequest): Promise<Page<AgentLite>> {
    return toPage(await this.reader.listLitePage(workspaceId, page), page.limit, toAgentLite);
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
    return this.announce(toAgent(agent, settings));
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
    return this.announce(toAgent(updated, settings.get(id) ?? {}));
  }

  private async announce(agent: Agent): Promise<Agent> {
    await this.events.publish({
      type: 'agent.updated',
      workspaceId: agent.workspaceId,
      payload: { agent },
    });
    return agent;
  }

  /** For other modules: which of `ids` are agents of the workspace. */
  existingIds(workspaceId: string, ids: string[]): Promise<Set<string>> {
    return this.agents.existingIds(workspaceId, ids);
  }

  /**
   * For other modules: the agent if it is in the workspace (any status). Per-item
   * lookups go through the request's batcher: N calls in one request, one query.
   */
  async findInWorkspace(
    workspaceId: string,
    id: string,
  ): Promise<{ id: string; status: AgentStatus } | null> {
    const agent = await requestLoader<string, AgentEntity>('agents.byId', (ids) =>
      this.agents.findByIds(ids),
    ).load(id);
    if (!agent || agent.workspaceId !== workspaceId) return null;
    return { id: agent.id, status: agent.status };
  }
}
