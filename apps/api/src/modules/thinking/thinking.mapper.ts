import type { ThinkingProcess, ThinkingStep } from '@orch/contracts';
import type { ThinkingProcessEntity } from './entities/thinking-process.entity.js';
import type { ThinkingStepEntity } from './entities/thinking-step.entity.js';

export function toThinkingProcess(entity: ThinkingProcessEntity): ThinkingProcess {
  return {
    id: entity.id,
    workspaceId: entity.workspaceId,
    agentId: entity.agentId,
    title: entity.title,
    status: entity.status,
    createdAt: entity.createdAt.toISOString(),
    updatedAt: entity.updatedAt.toISOString(),
  };
}

export function toThinkingStep(entity: ThinkingStepEntity): ThinkingStep {
  return {
    id: entity.id,
    processId: entity.processId,
    kind: entity.kind,
    content: entity.content,
    createdAt: entity.createdAt.toISOString(),
  };
}
