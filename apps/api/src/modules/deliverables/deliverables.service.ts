import { Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { type Deliverable, ErrorCode, type Page } from '@orch/contracts';
import { DomainException } from '../../infra/http/domain.exception.js';
import { type PageRequest, toPage } from '../../infra/http/pagination.js';
import { ValidationFailedException } from '../../infra/http/validation.js';
import { AgentsService } from '../agents/agents.service.js';
import { toDeliverable } from './deliverables.mapper.js';
import { DeliverablesRepository } from './deliverables.repository.js';
import type { CreateDeliverableDto, UpdateDeliverableDto } from './dto/deliverable.dto.js';

export function contentHash(content: string): string {
  return createHash('sha256').update(content, 'utf8').digest('hex');
}

@Injectable()
export class DeliverablesService {
  constructor(
    private readonly deliverables: DeliverablesRepository,
    private readonly agents: AgentsService,
  ) {}

  async list(workspaceId: string, page: PageRequest): Promise<Page<Deliverable>> {
    return toPage(await this.deliverables.listPage(workspaceId, page), page.limit, toDeliverable);
  }

  async get(id: string): Promise<Deliverable> {
    const deliverable = await this.deliverables.findById(id);
    if (!deliverable) throw DomainException.notFound(ErrorCode.DeliverableNotFound, 'Deliverable');
    return toDeliverable(deliverable);
  }

  async create(workspaceId: string, dto: CreateDeliverableDto): Promise<Deliverable> {
    await this.assertAgentInWorkspace(workspaceId, dto.agentId);
    const created = await this.deliverables.create({
      workspaceId,
      agentId: dto.agentId ?? null,
      title: dto.title.trim(),
      content: dto.content,
      contentHash: contentHash(dto.content),
    });
    return toDeliverable(created);
  }

  async update(workspaceId: string, id: string, dto: UpdateDeliverableDto): Promise<Deliverable> {
    await this.assertAgentInWorkspace(workspaceId, dto.agentId);
    const updated = await this.deliverables.update(id, {
      ...(dto.title !== undefined ? { title: dto.title.trim() } : {}),
      ...(dto.content !== undefined
        ? { content: dto.content, contentHash: contentHash(dto.content) }
        : {}),
      ...(dto.agentId !== undefined ? { agentId: dto.agentId } : {}),
    });
    if (!updated) throw DomainException.notFound(ErrorCode.DeliverableNotFound, 'Deliverable');
    return toDeliverable(updated);
  }

  private async assertAgentInWorkspace(
    workspaceId: string,
    agentId: string | null | undefined,
  ): Promise<void> {
    if (!agentId) return;
    const found = await this.agents.existingIds(workspaceId, [agentId.toLowerCase()]);
    if (found.size === 0) {
      throw new ValidationFailedException([
        { field: 'agentId', messages: ['agentId is not an agent of this workspace'] },
      ]);
    }
  }
}
