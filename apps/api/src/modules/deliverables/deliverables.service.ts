import { Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import {
  type DeliverableListResponse,
  type DisplayedDeliverable,
  ErrorCode,
} from '@orch/contracts';
import { DomainEvents } from '../../infra/events/domain-events.js';
import { DomainException } from '../../core/domain.exception.js';
import { type PageRequest, toPage } from '../../core/pagination.js';
import { AgentsService } from '../agents/agents.service.js';
import { toDeliverable, toDisplayedDeliverable } from './deliverables.mapper.js';
import { DeliverablesRepository } from './deliverables.repository.js';
import {
  DisplayContentService,
  QuotaExhaustedError,
} from './display-content/display-content.service.js';
import type { CreateDeliverableDto, UpdateDeliverableDto } from './dto/deliverable.dto.js';

export function contentHash(content: string): string {
  return createHash('sha256').update(content, 'utf8').digest('hex');
}

@Injectable()
export class DeliverablesService {
  constructor(
    private readonly deliverables: DeliverablesRepository,
    private readonly agents: AgentsService,
    private readonly display: DisplayContentService,
    private readonly events: DomainEvents,
  ) {}

  /** A page with display content, cache-first, and what serving it cost. */
  async list(workspaceId: string, page: PageRequest): Promise<DeliverableListResponse> {
    const rows = await this.deliverables.listPage(workspaceId, page);
    const pageRows = rows.slice(0, page.limit);
    const { byId, summary } = await this.display.resolve(pageRows);
    const result = toPage(rows, page.limit, (d) =>
      toDisplayedDeliverable(d, byId.get(d.id) ?? this.display.storedDisplay(d)),
    );
    return { ...result, displayCache: summary };
  }

  async get(id: string): Promise<DisplayedDeliverable> {
    const deliverable = await this.found(id);
    const { byId } = await this.display.resolve([deliverable]);
    return toDisplayedDeliverable(
      deliverable,
      byId.get(id) ?? this.display.storedDisplay(deliverable),
    );
  }

  /** Transforms again now, bypassing what is stored; 502 if the provider fails. */
  async regenerate(id: string): Promise<DisplayedDeliverable> {
    const deliverable = await this.found(id);
    let content;
    try {
      content = await this.display.regenerate(deliverable);
    } catch (error) {
      if (error instanceof QuotaExhaustedError) {
        throw new DomainException(
          ErrorCode.QuotaExhausted,
          'The workspace has used its AI calls for today; try again after midnight UTC',
        );
      }
      throw error;
    }
    if (!content) {
      throw new DomainException(
        ErrorCode.TransformFailed,
        'The AI transformation failed; the stored display content is unchanged',
      );
    }
    return toDisplayedDeliverable(deliverable, { displayContent: content, displayStatus: 'ready' });
  }

  private async found(id: string) {
    const deliverable = await this.deliverables.findById(id);
    if (!deliverable) throw DomainException.notFound(ErrorCode.DeliverableNotFound, 'Deliverable');
    return deliverable;
  }

  /** Writes never call the transformer: the first read does (docs/display-content.md). */
  async create(workspaceId: string, dto: CreateDeliverableDto): Promise<DisplayedDeliverable> {
    if (dto.agentId) await this.agents.assertInWorkspace(workspaceId, [dto.agentId], 'agentId');
    const created = await this.deliverables.create({
      workspaceId,
      agentId: dto.agentId ?? null,
      title: dto.title.trim(),
      content: dto.content,
      contentHash: contentHash(dto.content),
    });
    const deliverable = toDisplayedDeliverable(created, this.display.storedDisplay(created));
    await this.events.publish({
      type: 'deliverable.created',
      workspaceId,
      payload: { deliverable: toDeliverable(created) },
    });
    return deliverable;
  }

  async update(
    workspaceId: string,
    id: string,
    dto: UpdateDeliverableDto,
  ): Promise<DisplayedDeliverable> {
    if (dto.agentId) await this.agents.assertInWorkspace(workspaceId, [dto.agentId], 'agentId');
    const updated = await this.deliverables.update(id, {
      ...(dto.title !== undefined ? { title: dto.title.trim() } : {}),
      ...(dto.content !== undefined
        ? { content: dto.content, contentHash: contentHash(dto.content) }
        : {}),
      ...(dto.agentId !== undefined ? { agentId: dto.agentId } : {}),
    });
    if (!updated) throw DomainException.notFound(ErrorCode.DeliverableNotFound, 'Deliverable');
    await this.events.publish({
      type: 'deliverable.updated',
      workspaceId,
      payload: { deliverable: toDeliverable(updated) },
    });
    return toDisplayedDeliverable(updated, this.display.storedDisplay(updated));
  }
}
