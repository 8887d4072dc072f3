import { Inject, Injectable } from '@nestjs/common';
import type { DisplayContent, DisplayStatus } from '@orch/contracts';
import { AppConfig } from '../../../infra/config/app-config.js';
import { QuotaService } from '../../quota/quota.service.js';
import type { DeliverableEntity } from '../entities/deliverable.entity.js';
import { DisplayFallback } from './display-fallback.js';
import {
  DISPLAY_TRANSFORMER,
  type DisplayTransformer,
  TransformFailedError,
} from './display-transformer.js';

/** The display form a response carries for one deliverable. */
export interface DeliverableDisplay {
  displayContent: DisplayContent | null;
  displayStatus: DisplayStatus;
  /** The local rendering, while pending. */
  fallbackHtml: string | null;
}

/** This process's counters, for /api/performance/cache-stats. */
export interface DisplayTotals {
  aiCalls: number;
  aiCallsSaved: number;
  transformations: number;
  failures: number;
  quotaBlocked: number;
}

/**
 * What every display mode shares: whether stored display content is current,
 * the display a read serves from the row, and one transformation through the
 * adapter with the workspace's quota reserved right before each provider call.
 */
@Injectable()
export class DisplayTransformations {
  readonly totals: DisplayTotals = {
    aiCalls: 0,
    aiCallsSaved: 0,
    transformations: 0,
    failures: 0,
    quotaBlocked: 0,
  };
  private readonly fallback = new DisplayFallback();

  constructor(
    @Inject(DISPLAY_TRANSFORMER) readonly transformer: DisplayTransformer,
    private readonly quota: QuotaService,
    private readonly config: AppConfig,
  ) {}

  get version(): string {
    return this.transformer.version;
  }

  isFresh(
    d: Pick<
      DeliverableEntity,
      'displayContent' | 'displayContentHash' | 'contentHash' | 'transformVersion'
    >,
  ): boolean {
    return (
      d.displayContent !== null &&
      d.displayContent !== undefined &&
      d.displayContentHash === d.contentHash &&
      d.transformVersion === this.transformer.version
    );
  }

  /** What the row holds now, without transforming anything. */
  storedDisplay(d: DeliverableEntity): DeliverableDisplay {
    return this.isFresh(d) && d.displayContent ? ready(d.displayContent) : this.pending(d);
  }

  pending(d: Pick<DeliverableEntity, 'contentHash' | 'content'>): DeliverableDisplay {
    return {
      displayContent: null,
      displayStatus: 'pending',
      fallbackHtml: this.fallback.htmlFor(d.contentHash, d.content),
    };
  }

  /**
   * One transformation (the adapter's own retries included), bounded by AI_TIMEOUT_MS
   * and `signal`. Rejects with TransformFailedError, or QuotaExhaustedError when the
   * workspace has no AI call left today.
   */
  async transform(
    d: Pick<DeliverableEntity, 'workspaceId' | 'title' | 'content'>,
    signal?: AbortSignal,
  ): Promise<DisplayContent> {
    const timeout = AbortSignal.timeout(this.config.ai.timeoutMs);
    const content = await this.transformer.transform(
      { workspaceId: d.workspaceId, title: d.title, markdown: d.content },
      {
        signal: signal ? AbortSignal.any([timeout, signal]) : timeout,
        onProviderCall: () => this.reserveCall(d.workspaceId),
      },
    );
    this.totals.transformations += 1;
    return content;
  }

  /** Counts a failed transformation; the quota's are not provider failures. */
  noteFailure(error: unknown): void {
    if (error instanceof QuotaExhaustedError) this.totals.quotaBlocked += 1;
    else this.totals.failures += 1;
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
}

export function ready(displayContent: DisplayContent): DeliverableDisplay {
  return { displayContent, displayStatus: 'ready', fallbackHtml: null };
}

/** The workspace used its daily AI quota: not retried, not counted as a provider failure. */
export class QuotaExhaustedError extends TransformFailedError {
  constructor(workspaceId: string) {
    super(`workspace ${workspaceId} has used its daily AI-call quota`);
    this.name = 'QuotaExhaustedError';
  }
}
