import { Injectable } from '@nestjs/common';
import { type Agent, type AgentLite, AgentStatus, ErrorCode, type Page } from '@orch/contracts';
import { CacheService } from '../../infra/cache/cache.service.js';
import type { CachedBody } from '../../infra/http/cached-body.js';
import { requestLoader } from '../../infra/database/request-loader.js';
import { DomainEvents } from '../../infra/events/domain-events.js';
import { DomainException } from '../../core/domain.exception.js';
import { encodeCursor, type PageRequest, toPage } from '../../core/pagination.js';
import { type AgentListKey, agentListCache } from './agents.cache.js';
import { toAgent, toAgentLite } from './agents.mapper.js';
import { AgentsRepository } from './agents.repository.js';
import type { AgentEntity } from './entities/agent.entity.js';
import { AgentListReader } from './agent-list-reader.js';
import type { CreateAgentDto, UpdateAgentDto } from './dto/agent.dto.js';
import { type Awaitable } from '../../core/awaitable.js';

export const DEFAULT_MODEL = 'gpt-4o-mini';

@Injectable()
export class AgentsService {
  constructor(
    private readonly agents: AgentsRepository,
    private readonly reader: AgentListReader,
    private readonly events: DomainEvents,
    private readonly cache: CacheService,
  ) {}

  /** Agents with their settings: two queries whatever the page size (1 + N in the baseline). */
  list(workspaceId: string, page: PageRequest): Awaitable<CachedBody<Page<Agent>>> {
    return this.cache.body(agentListCache, listKey(workspaceId, 'full', page), () =>
      this.loadList(workspaceId, page),
    );
  }

  private async loadList(workspaceId: string, page: PageRequest): Promise<Page<Agent>> {
    const rows = await this.reader.listPage(workspaceId, page);
    const settings = await this.reader.settingsFor(rows.slice(0, page.limit).map((a) => a.id));
    return toPage(rows, page.limit, (a) => toAgent(a, settings.get(a.id) ?? {}));
  }

  listLite(workspaceId: string, page: PageRequest): Awaitable<CachedBody<Page<AgentLite>>> {
    return this.cache.body(agentListCache, listKey(workspaceId, 'lite', page), () =>
      this.loadLite(workspaceId, page),
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

  /**
   * The one rule "these agents belong to this workspace", for every module that names agents:
   * each id (any case) must be an agent of `workspaceId`, of any status, or the request fails
   * with VALIDATION_FAILED on `field`, naming the ids that are not. One query for the whole
   * list, batched with the request's other agent lookups. Returns the agents by lowercase id.
   */
  async assertInWorkspace(
    workspaceId: string,
    ids: readonly string[],
    field: string,
  ): Promise<Map<string, AgentRef>> {
    const unique = [...new Set(ids.map((id) => id.toLowerCase()))];
    const found = await this.byId().loadMany(unique);
    const agents = new Map<string, AgentRef>();
    const missing: string[] = [];
    unique.forEach((id, i) => {
      const agent = found[i];
      if (agent && !(agent instanceof Error) && agent.workspaceId === workspaceId) {
        agents.set(id, { id: agent.id, status: agent.status });
      } else {
        missing.push(id);
      }
    });
    if (missing.length > 0) {
      const what = missing.length === 1 ? 'not an agent' : 'not agents';
      throw DomainException.invalidField(field, `${what} of this workspace: ${missing.join(', ')}`);
    }
    return agents;
  }

  /**
   * For other modules: the agent if it is in the workspace (any status). Per-item
   * lookups go through the request's batcher: N calls in one request, one query.
   */
  async findInWorkspace(workspaceId: string, id: string): Promise<AgentRef | null> {
    const agent = await this.byId().load(id);
    if (!agent || agent.workspaceId !== workspaceId) return null;
    return { id: agent.id, status: agent.status };
  }

  private byId() {
    return requestLoader<string, AgentEntity>('agents.byId', (ids) => this.agents.findByIds(ids));
  }
}

function listKey(workspaceId: string, view: AgentListKey['view'], page: PageRequest): AgentListKey {
  return {
    workspaceId,
    view,
    limit: page.limit,
    cursor: page.after && encodeCursor(page.after),
  };
}

/** What other modules learn about an agent they name. */
export interface AgentRef {
  id: string;
  status: AgentStatus;
}
