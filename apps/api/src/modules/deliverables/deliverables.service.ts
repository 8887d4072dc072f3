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
import { toDisplayedDeliverable } from './deliverables.mapper.js';
import { DeliverablesRepository } from './deliverables.repository.js';
import {
  DisplayContentService,
  QuotaExhaustedError,
} from './display-content/display-content.service.js';
import { ready } from './display-content/display-transformations.js';
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

  /**
   * Transforms again, bypassing what is stored. With the display queue: queued (`queued`
   * true, the answer shows what is stored now, the result comes as `deliverable.updated`);
   * otherwise at once, 502 if the provider fails.
   */
  async regenerate(id: string): Promise<{ deliverable: DisplayedDeliverable; queued: boolean }> {
    const deliverable = await this.found(id);
    let regeneration;
    try {
      regeneration = await this.display.regenerate(deliverable);
    } catch (error) {
      if (error instanceof QuotaExhaustedError) {
        throw new DomainException(
          ErrorCode.QuotaExhausted,
          'The workspace has used its AI calls for today; try again after midnight UTC',
        );
      }
      throw error;
    }
    if (regeneration.kind === 'queued') {
      return {
        deliverable: toDisplayedDeliverable(deliverable, this.display.storedDisplay(deliverable)),
        queued: true,
      };
    }
    if (!regeneration.content) {
      throw new DomainException(
        ErrorCode.TransformFailed,
        'The AI transformation failed; the stored display content is unchanged',
      );
    }
    return {
      deliverable: toDisplayedDeliverable(deliverable, ready(regeneration.content)),
      queued: false,
    };
  }

  private async found(id: string) {
    const deliverable = await this.deliverables.findById(id);
    if (!deliverable) throw DomainException.notFound(ErrorCode.DeliverableNotFound, 'Deliverable');
    return deliverable;
  }

  /**
   * Writes never call the transformer: with the display queue they enqueue the deliverable
   * (the result is pushed as `deliverable.updated`); otherwise the first read transforms it
   * (docs/display-content.md).
   */
  async create(workspaceId: string, dto: CreateDeliverableDto): Promise<DisplayedDeliverable> {
    if (dto.agentId) await this.agents.assertInWorkspace(workspaceId, [dto.agentId], 'agentId');
    const created = await this.deliverables.create({
      workspaceId,
      agentId: dto.agentId ?? null,
      title: dto.title.trim(),
      content: dto.content,
      contentHash: contentHash(dto.content),
    });
    await this.display.contentWritten(created);
    const deliverable = toDisplayedDeliverable(created, this.display.storedDisplay(created));
    await this.events.publish({
      type: 'deliverable.created',
      workspaceId,
      payload: { deliverable },
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
    const display = this.display.storedDisplay(updated);
    if (dto.content !== undefined && display.displayStatus === 'pending') {
      await this.display.contentWritten(updated);
    }
    const deliverable = toDisplayedDeliverable(updated, display);
    await this.events.publish({
      type: 'deliverable.updated',
      workspaceId,
      payload: { deliverable },
    });
    return deliverable;
  }
}
