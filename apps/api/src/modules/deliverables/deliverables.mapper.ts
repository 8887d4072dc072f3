import type { Deliverable, DisplayedDeliverable } from '@orch/contracts';
import type { DeliverableDisplay } from './display-content/display-transformations.js';
import type { DeliverableEntity } from './entities/deliverable.entity.js';

export function toDeliverable(entity: DeliverableEntity): Deliverable {
  return {
    id: entity.id,
    workspaceId: entity.workspaceId,
    agentId: entity.agentId,
    title: entity.title,
    content: entity.content,
    contentHash: entity.contentHash,
    createdAt: entity.createdAt.toISOString(),
    updatedAt: entity.updatedAt.toISOString(),
  };
}

export function toDisplayedDeliverable(
  entity: DeliverableEntity,
  display: DeliverableDisplay,
): DisplayedDeliverable {
  return { ...toDeliverable(entity), ...display };
}
