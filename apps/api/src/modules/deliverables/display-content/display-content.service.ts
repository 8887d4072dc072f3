import { Injectable } from '@nestjs/common';
import type { DisplayCacheSummary, DisplayContent, DisplayContentStats } from '@orch/contracts';
import { AppConfig } from '../../../infra/config/app-config.js';
import { Optimizations } from '../../../infra/optimizations/optimizations.js';
import { QuotaService } from '../../quota/quota.service.js';
import type { DeliverableEntity } from '../entities/deliverable.entity.js';
import { DisplayOnRead } from './display-on-read.js';
import { DisplayQueueWorker } from './display-queue.worker.js';
import {
  type DeliverableDisplay,
  type DisplayTotals,
  DisplayTransformations,
  QuotaExhaustedError,
} from './display-transformations.js';

export { QuotaExhaustedError } from './display-transformations.js';
export type { DeliverableDisplay } from './display-transformations.js';

export interface DisplayResolution {
  byId: Map<string, DeliverableDisplay>;
  summary: DisplayCacheSummary;
}

/** What a regenerate did: transformed at once (the read-path modes) or queued (the queue). */
export type Regeneration =
  { kind: 'transformed'; content: DisplayContent | null } | { kind: 'queued' };

/**
 * The display content of deliverables, in one of three modes
 * (docs/display-content.md):
 *
 * - **queue** (`display-cache` and `display-queue` on, the default): a read serves
 *   what is stored and answers at once; anything missing or stale is `pending`
 *   with a local fallback, and DisplayQueueWorker makes it behind the read path;
 * - **cache-first on read** (`display-queue` off): a read transforms what is
 *   missing or stale once and waits for it (DisplayOnRead.cacheFirst);
 * - **every time** (`display-cache` off, the "before"): every read transforms
 *   everything and stores nothing (DisplayOnRead.everyTime).
 */
@Injectable()
export class DisplayContentService {
  constructor(
    private readonly transformations: DisplayTransformations,
    private readonly onRead: DisplayOnRead,
    private readonly queue: DisplayQueueWorker,
    private readonly quota: QuotaService,
    private readonly optimizations: Optimizations,
    private readonly config: AppConfig,
  ) {}

  /** What the row holds now, without transforming anything (for writes and summaries). */
  storedDisplay(d: DeliverableEntity): DeliverableDisplay {
    return this.transformations.storedDisplay(d);
  }

  /** The display form of each deliverable, as the mode serves it. */
  async resolve(deliverables: DeliverableEntity[]): Promise<DisplayResolution> {
    if (this.queue.enabled) return this.fromStore(deliverables);
    const { byId, cached, transformed } = this.optimizations.isOn('display-cache')
      ? await this.onRead.cacheFirst(deliverables)
      : await this.onRead.everyTime(deliverables);
    this.transformations.totals.aiCallsSaved += cached;
    const pending = deliverables.length - cached - transformed;
    return { byId, summary: { cached, transformed, pending, aiCallsSaved: cached } };
  }

  /** After a write changed `d`'s content: the queue makes its display (no-op in the read modes). */
  async contentWritten(d: DeliverableEntity): Promise<void> {
    if (this.queue.enabled) await this.queue.enqueue(d, { force: false });
  }

  /**
   * Transforms again, whatever is stored: at once in the read-path modes (null when it
   * failed), queued with the queue. QuotaExhaustedError (counted in quotaBlocked) when the
   * workspace has no AI call left today, checked before anything else.
   */
  async regenerate(d: DeliverableEntity): Promise<Regeneration> {
    const quota = await this.quota.check(d.workspaceId);
    if (!quota.allowed) {
      this.transformations.noteFailure(new QuotaExhaustedError(d.workspaceId));
      throw new QuotaExhaustedError(d.workspaceId);
    }
    if (this.queue.enabled) {
      await this.queue.enqueue(d, { force: true });
      return { kind: 'queued' };
    }
    return { kind: 'transformed', content: await this.onRead.regenerate(d) };
  }

  /** This process's counters, synchronously (for a Prometheus scrape). */
  totals(): Readonly<DisplayTotals> {
    return this.transformations.totals;
  }

  async stats(): Promise<DisplayContentStats> {
    const { transformer, totals } = this.transformations;
    return {
      provider: transformer.provider,
      model: transformer.model,
      transformVersion: transformer.version,
      ...totals,
      estimatedCostSavedUsd: round(totals.aiCallsSaved * this.config.ai.costPerCallUsd, 6),
      queue: await this.queue.stats(),
    };
  }

  /** The queue mode's read: no provider call, no timer, no extra query, whatever is pending. */
  private fromStore(deliverables: DeliverableEntity[]): DisplayResolution {
    const byId = new Map<string, DeliverableDisplay>();
    let cached = 0;
    for (const d of deliverables) {
      const display = this.transformations.storedDisplay(d);
      if (display.displayStatus === 'ready') cached += 1;
      else this.queue.discover(d);
      byId.set(d.id, display);
    }
    this.transformations.totals.aiCallsSaved += cached;
    return {
      byId,
      summary: {
        cached,
        transformed: 0,
        pending: deliverables.length - cached,
        aiCallsSaved: cached,
      },
    };
  }
}

function round(value: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
