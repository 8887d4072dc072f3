import type { AgentSettings } from '@orch/contracts';
import type { PageRequest } from '../../core/pagination.js';
import type { AgentEntity } from './entities/agent.entity.js';

/**
 * The agent-list reads, batched (AgentsRepository) or the naive first version
 * (AgentsBaselineRepository), as the `batching` switch chose at boot.
 */
export abstract class AgentListReader {
  /** A page of a workspace's agents, newest first, settings not included. */
  abstract listPage(workspaceId: string, page: PageRequest): Promise<AgentEntity[]>;
  /** `view=lite`: the few columns the lite view shows. */
  abstract listLitePage(workspaceId: string, page: PageRequest): Promise<AgentEntity[]>;
  /** The settings of each agent, by agent id. */
  abstract settingsFor(agentIds: string[]): Promise<Map<string, AgentSettings>>;
}
