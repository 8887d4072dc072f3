import type { Goal } from '@orch/contracts';
import type { GoalEntity } from './entities/goal.entity.js';

export function toGoal(entity: GoalEntity): Goal {
  return {
    id: entity.id,
    workspaceId: entity.workspaceId,
    title: entity.title,
    description: entity.description,
    status: entity.status,
    progress: entity.progress,
    statusReason: entity.statusReason ?? null,
    agentIds: entity.agentIds,
    targetDeliverables: entity.targetDeliverables,
    windowHours: entity.windowHours,
    lastCheckedAt: entity.lastCheckedAt?.toISOString() ?? null,
    nextCheckAt: entity.nextCheckAt?.toISOString() ?? null,
    createdAt: entity.createdAt.toISOString(),
    updatedAt: entity.updatedAt.toISOString(),
  };
}
