import type { Agent, AgentLite, AgentSettings } from '@orch/contracts';
import type { AgentEntity } from './entities/agent.entity.js';

export function toAgent(entity: AgentEntity, settings: AgentSettings): Agent {
  return {
    id: entity.id,
    workspaceId: entity.workspaceId,
    name: entity.name,
    role: entity.role,
    model: entity.model,
    status: entity.status,
    settings: sortedSettings(settings),
    createdAt: entity.createdAt.toISOString(),
    updatedAt: entity.updatedAt.toISOString(),
  };
}

export function toAgentLite(
  entity: Pick<AgentEntity, 'id' | 'name' | 'status' | 'updatedAt'>,
): AgentLite {
  return {
    id: entity.id,
    name: entity.name,
    status: entity.status,
    updatedAt: entity.updatedAt.toISOString(),
  };
}

/** Keys in a stable order, whichever query produced them. */
function sortedSettings(settings: AgentSettings): AgentSettings {
  return Object.fromEntries(
    Object.entries(settings).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
  );
}
