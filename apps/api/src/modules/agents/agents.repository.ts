import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { AgentSettings, AgentStatus } from '@orch/contracts';
import { type DataSource, In, type Repository } from 'typeorm';
import { newestFirstPage } from '../../infra/database/keyset.js';
import type { PageRequest } from '../../core/pagination.js';
import { AgentSettingEntity } from './entities/agent-setting.entity.js';
import { AgentEntity } from './entities/agent.entity.js';
import type { AgentListReader } from './agent-list-reader.js';

export interface NewAgent {
  workspaceId: string;
  name: string;
  role: string;
  model: string;
  settings: AgentSettings;
}

export interface AgentChanges {
  name?: string;
  role?: string;
  model?: string;
  status?: AgentStatus;
  settings?: Record<string, string | null>;
}

@Injectable()
export class AgentsRepository implements AgentListReader {
  private readonly agents: Repository<AgentEntity>;
  private readonly settings: Repository<AgentSettingEntity>;

  constructor(@InjectDataSource() private readonly db: DataSource) {
    this.agents = db.getRepository(AgentEntity);
    this.settings = db.getRepository(AgentSettingEntity);
  }

  findById(id: string): Promise<AgentEntity | null> {
    return this.agents.findOneBy({ id });
  }

  /** Many agents by id in one query, in the order asked (null where missing). */
  async findByIds(ids: readonly string[]): Promise<(AgentEntity | null)[]> {
    const rows = await this.agents.findBy({ id: In([...ids]) });
    const byId = new Map(rows.map((r) => [r.id, r]));
    return ids.map((id) => byId.get(id) ?? null);
  }

  /** A page of a workspace's agents, newest first (settings not included). */
  listPage(workspaceId: string, page: PageRequest): Promise<AgentEntity[]> {
    const qb = this.agents
      .createQueryBuilder('a')
      .where('a.workspace_id = :workspaceId', { workspaceId });
    return newestFirstPage(qb, 'a', page).getMany();
  }

  /** `view=lite`: four columns, no settings. */
  listLitePage(workspaceId: string, page: PageRequest): Promise<AgentEntity[]> {
    const qb = this.agents
      .createQueryBuilder('a')
      .select(['a.id', 'a.name', 'a.status', 'a.updatedAt', 'a.createdAt'])
      .where('a.workspace_id = :workspaceId', { workspaceId });
    return newestFirstPage(qb, 'a', page).getMany();
  }

  /** Settings of many agents in one query, grouped by agent id. */
  async settingsFor(agentIds: string[]): Promise<Map<string, AgentSettings>> {
    const byAgent = new Map<string, AgentSettings>(agentIds.map((id) => [id, {}]));
    if (agentIds.length === 0) return byAgent;
    const rows = await this.settings.find({
      select: { agentId: true, key: true, value: true },
      where: { agentId: In(agentIds) },
    });
    for (const row of rows) {
      const settings = byAgent.get(row.agentId);
      if (settings) settings[row.key] = row.value;
    }
    return byAgent;
  }

  /** The agent and all its settings in one transaction: one INSERT each. */
  create(agent: NewAgent): Promise<AgentEntity> {
    return this.db.transaction(async (tx) => {
      const saved = await tx.getRepository(AgentEntity).save({
        workspaceId: agent.workspaceId,
        name: agent.name,
        role: agent.role,
        model: agent.model,
      });
      const entries = Object.entries(agent.settings);
      if (entries.length > 0) {
        await tx
          .getRepository(AgentSettingEntity)
          .insert(entries.map(([key, value]) => ({ agentId: saved.id, key, value })));
      }
      return saved;
    });
  }

  /**
   * Applies the changes in one transaction: the agent row (locked, so a
   * concurrent status change can't slip past the terminated check), one upsert
   * for the set keys, one delete for the removed keys.
   * `guard` sees the locked current row and may throw to abort.
   */
  update(
    id: string,
    changes: AgentChanges,
    guard: (current: AgentEntity) => void,
  ): Promise<AgentEntity | null> {
    return this.db.transaction(async (tx) => {
      const agents = tx.getRepository(AgentEntity);
      const current = await agents.findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
      if (!current) return null;
      guard(current);
      const { settings, ...columns } = changes;
      const result = await agents
        .createQueryBuilder()
        .update(AgentEntity)
        .set({ ...columns, updatedAt: () => 'now()' })
        .where('id = :id', { id })
        .returning('*')
        .execute();
      if (settings) {
        const set = Object.entries(settings).filter((e): e is [string, string] => e[1] !== null);
        const removed = Object.entries(settings)
          .filter(([, v]) => v === null)
          .map(([k]) => k);
        if (set.length > 0) {
          await tx
            .createQueryBuilder()
            .insert()
            .into(AgentSettingEntity)
            .values(set.map(([key, value]) => ({ agentId: id, key, value })))
            .orUpdate(['value', 'updated_at'], ['agent_id', 'key'])
            .execute();
        }
        if (removed.length > 0) {
          await tx.getRepository(AgentSettingEntity).delete({ agentId: id, key: In(removed) });
        }
      }
      const row = (result.raw as Record<string, unknown>[])[0];
      return agents.create({
        id: row.id as string,
        workspaceId: row.workspace_id as string,
        name: row.name as string,
        role: row.role as string,
        model: row.model as string,
        status: row.status as AgentStatus,
        createdAt: row.created_at as Date,
        updatedAt: row.updated_at as Date,
      });
    });
  }
}
