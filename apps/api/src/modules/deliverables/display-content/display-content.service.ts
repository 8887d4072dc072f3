import { Inject, Injectable, Logger } from '@nestjs/common';
import type {
  DisplayCacheSummary,
  DisplayContent,
  DisplayContentStats,
  DisplayStatus,
} from '@orch/contracts';
import { setTimeout as sleep } from 'node:timers/promises';
import { AppConfig } from '../../../infra/config/app-config.js';
import { Optimizations } from '../../../infra/optimizations/optimizations.js';
import { QuotaService } from '../../quota/quota.service.js';
import type { DeliverableEntity } from '../entities/deliverable.entity.js';
import { ConcurrencyLimit } from './concurrency-limit.js';
import { DisplayContentRepository } from './display-content.repository.js';
import {
  DISPLAY_TRANSFORMER,
  type DisplayTransformer,
  TransformFailedError,
} from './display-transformer.js';

export interface Display {
  displayContent: DisplayContent | null;
  displayStatus: DisplayStatus;
}

export interface DisplayResolution {
  byId: Map<string, Display>;
  summary: DisplayCacheSummary;
}

const PENDING: Display = { displayContent: null, displayStatus: 'pending' };
const CLAIM_POLL_MS = 100;

/**
 * Cache-first display content. A deliverable whose stored display content was
 * made from its current content hash by the current transform version is
 * served as stored: no provider call. Anything else is transformed once —
 * single-flight within the process, a row claim across processes — through a
 * bounded pool, stored, and served. Failures are never stored: the item is
 * served `pending` with its raw content, and the next read tries again.
 */
@Injectable()
export class DisplayContentService {
  private readonly logger = new Logger('DisplayCache');
  private readonly inFlight = new Map<string, Promise<DisplayContent | null>>();
  private readonly pool: ConcurrencyLimit;
  private readonly totals = {
    aiCalls: 0,
    aiCallsSaved: 0,
    transformations: 0,
    failures: 0,
    quotaBlocked: 0,
  };

  constructor(
    @Inject(DISPLAY_TRANSFORMER) private readonly transformer: DisplayTransformer,
    private readonly stored: DisplayContentRepository,
    private readonly quota: QuotaService,
    private readonly optimizations: Optimizations,
    private readonly config: AppConfig,
  ) {
    this.pool = new ConcurrencyLimit(config.ai.concurrency);
  }

  /** What the row holds now, without transforming anything (for writes and summaries). */
  storedDisplay(d: DeliverableEntity): Display {
    return this.isFresh(d) && d.displayContent
      ? { displayContent: d.displayContent, displayStatus: 'ready' }
      : PENDING;
  }

  /** The display form of each deliverable, transforming what is missing or stale. */
  async resolve(deliverables: DeliverableEntity[]): Promise<DisplayResolution> {
    if (!this.optimizations.isOn('display-cache')) return this.resolveEveryTime(deliverables);
    const byId = new Map<string, Display>();
    const stale = deliverables.filter((d) => {
      if (!this.isFresh(d)) return true;
      byId.set(d.id, this.storedDisplay(d));
      return false;
    });
    const cached = deliverables.length - stale.length;
    // However the transformations go, the answer leaves within AI_TIMEOUT_MS;
    // anything unfinished by then is served pending and stored when it completes.
    const timer = new AbortController();
    const deadline = sleep(this.config.ai.timeoutMs, null, { signal: timer.signal }).catch(
      () => null,
    );
    const results = await Promise.all(
      stale.map((d) => Promise.race([this.transformOnce(d, false), deadline])),
    ).finally(() => timer.abort());
    let transformed = 0;
    stale.forEach((d, i) => {
      const content = results[i];
      if (content) transformed += 1;
      byId.set(d.id, content ? { displayContent: content, displayStatus: 'ready' } : PENDING);
    });
    this.totals.aiCallsSaved += cached;
    const summary = { cached, transformed, aiCallsSaved: cached };
    if (deliverables.length > 0) {
      this.logger.log(
        `display cache: ${cached} cached, ${transformed} transformed, ${cached} AI calls saved` +
          (transformed < stale.length ? `, ${stale.length - transformed} pending` : ''),
      );
    }
    return { byId, summary };
  }

  /**
   * Transforms again now, whatever is stored. Null when the transformation
   * failed; QuotaExhaustedError (counted in quotaBlocked) when the workspace has
   * no AI call left today, checked before any claim is taken.
   */
  async regenerate(d: DeliverableEntity): Promise<DisplayContent | null> {
    const quota = await this.quota.check(d.workspaceId);
    if (!quota.allowed) {
      this.totals.quotaBlocked += 1;
      throw new QuotaExhaustedError(d.workspaceId);
    }
    return this.transformOnce(d, true);
  }

  stats(): DisplayContentStats {
    return {
      provider: this.transformer.provider,
      model: this.transformer.model,
      transformVersion: this.transformer.version,
      ...this.totals,
      estimatedCostSavedUsd: round(this.totals.aiCallsSaved * this.config.ai.costPerCallUsd, 6),
    };
  }

  private isFresh(d: DeliverableEntity): boolean {
    return (
      d.displayContent !== null &&
      d.displayContent !== undefined &&
      d.displayContentHash === d.contentHash &&
      d.transformVersion === this.transformer.version
    );
  }

  /** Single-flight: concurrent requests for the same content share one transformation. */
  private transformOnce(d: DeliverableEntity, force: boolean): Promise<DisplayContent | null> {
    const key = `${d.id}:${d.contentHash}:${this.transformer.version}${force ? ':force' : ''}`;
    let flight = this.inFlight.get(key);
    if (!flight) {
      flight = this.pool
        .run(() => this.claimTransformStore(d, force))
        .finally(() => this.inFlight.delete(key));
      this.inFlight.set(key, flight);
    }
    return flight;
  }

  private async claimTransformStore(
    d: DeliverableEntity,
    force: boolean,
  ): Promise<DisplayContent | null> {
    const giveUpAt = Date.now() + this.config.ai.timeoutMs;
    const version = this.transformer.version;
    while (
      !(await this.stored.claim(
        d.id,
        d.contentHash,
        version,
        this.config.ai.timeoutMs + 5_000,
        force,
      ))
    ) {
      // Another instance is on it: wait for its result rather than pay twice.
      const now = await this.stored.read(d.id);
      if (!now || now.contentHash !== d.contentHash) return null;
      const fresh =
        now.displayContent &&
        now.displayContentHash === d.contentHash &&
        now.transformVersion === this.transformer.version;
      if (fresh && !force) return now.displayContent;
      if (Date.now() >= giveUpAt) return null;
      await sleep(CLAIM_POLL_MS);
    }
    try {
      const content = await this.transformer.transform(
        { workspaceId: d.workspaceId, title: d.title, markdown: d.content },
        {
          signal: AbortSignal.timeout(this.config.ai.timeoutMs),
          onProviderCall: () => this.reserveCall(d.workspaceId),
        },
      );
      // Not stored when the content changed meanwhile: that result is already stale.
      if (!(await this.stored.store(d.id, d.contentHash, this.transformer.version, content))) {
        await this.stored.release(d.id);
      }
      this.totals.transformations += 1;
      return content;
    } catch (error) {
      this.noteFailure(d, error);
      await this.stored.release(d.id).catch(() => undefined);
      return null;
    }
  }

  /** The baseline: every read transforms every deliverable, one after another, and stores nothing. */
  private async resolveEveryTime(deliverables: DeliverableEntity[]): Promise<DisplayResolution> {
    const byId = new Map<string, Display>();
    let transformed = 0;
    for (const d of deliverables) {
      try {
        const content = await this.transformer.transform(
          { workspaceId: d.workspaceId, title: d.title, markdown: d.content },
          {
            signal: AbortSignal.timeout(this.config.ai.timeoutMs),
            onProviderCall: () => this.reserveCall(d.workspaceId),
          },
        );
        this.totals.transformations += 1;
        transformed += 1;
        byId.set(d.id, { displayContent: content, displayStatus: 'ready' });
      } catch (error) {
        this.noteFailure(d, error);
        byId.set(d.id, PENDING);
      }
    }
    return { byId, summary: { cached: 0, transformed, aiCallsSaved: 0 } };
  }

  /**
   * Takes one call from the workspace's daily quota, atomically, right before
   * each request to the provider (retries included): concurrent
   * transformations can't overshoot it. At 100% no call is made.
   */
  private async reserveCall(workspaceId: string): Promise<void> {
    if (!(await this.quota.reserveAiCall(workspaceId))) throw new QuotaExhaustedError(workspaceId);
    this.totals.aiCalls += 1;
  }

  private noteFailure(d: DeliverableEntity, error: unknown): void {
    if (error instanceof QuotaExhaustedError) {
      this.totals.quotaBlocked += 1;
      this.logger.warn(`deliverable ${d.id}: not transformed: ${error.message}`);
      return;
    }
    this.totals.failures += 1;
    this.logger.warn(
      `deliverable ${d.id}: transformation failed, served pending: ${reason(error)}`,
    );
  }
}

/** The workspace used its daily AI quota: not retried, not counted as a provider failure. */
export class QuotaExhaustedError extends TransformFailedError {
  constructor(workspaceId: string) {
    super(`workspace ${workspaceId} has used its daily AI-call quota`, false);
    this.name = 'QuotaExhaustedError';
  }
}

function reason(error: unknown): string {
  return error instanceof TransformFailedError || error instanceof Error
    ? error.message
    : String(error);
}

function round(value: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
