import { Injectable, Logger } from '@nestjs/common';
import type { DisplayContent } from '@orch/contracts';
import { setTimeout as sleep } from 'node:timers/promises';
import { AppConfig } from '../../../infra/config/app-config.js';
import type { DeliverableEntity } from '../entities/deliverable.entity.js';
import { ConcurrencyLimit } from './concurrency-limit.js';
import { DisplayContentRepository } from './display-content.repository.js';
import {
  type DeliverableDisplay,
  DisplayTransformations,
  QuotaExhaustedError,
  ready,
} from './display-transformations.js';
import { failureReason } from './display-transformer.js';

export interface ResolvedDisplays {
  byId: Map<string, DeliverableDisplay>;
  cached: number;
  transformed: number;
}

const CLAIM_POLL_MS = 100;

/**
 * The two modes that transform on the read path, kept so the benchmark can
 * show what the display queue (display-queue.worker.ts) saves:
 *
 * - `cacheFirst` (display-cache on, display-queue off): a read serves what is
 *   stored and transforms what is missing or stale once (single-flight within
 *   the process, a row claim across processes) through a bounded pool, waiting
 *   up to AI_TIMEOUT_MS for it;
 * - `everyTime` (display-cache off, the seed's "before"): every read transforms
 *   every deliverable, one after another, and stores nothing.
 */
@Injectable()
export class DisplayOnRead {
  private readonly logger = new Logger('DisplayCache');
  private readonly inFlight = new Map<string, Promise<DisplayContent | null>>();
  private readonly pool: ConcurrencyLimit;

  constructor(
    private readonly transformations: DisplayTransformations,
    private readonly stored: DisplayContentRepository,
    private readonly config: AppConfig,
  ) {
    this.pool = new ConcurrencyLimit(config.ai.concurrency);
  }

  async cacheFirst(deliverables: DeliverableEntity[]): Promise<ResolvedDisplays> {
    const byId = new Map<string, DeliverableDisplay>();
    const stale = deliverables.filter((d) => {
      if (!this.transformations.isFresh(d)) return true;
      byId.set(d.id, this.transformations.storedDisplay(d));
      return false;
    });
    const cached = deliverables.length - stale.length;
    if (stale.length === 0) return { byId, cached, transformed: 0 };
    // However the transformations go, the answer leaves within AI_TIMEOUT_MS;
    // anything unfinished by then is served pending and stored when it completes.
    const timer = new AbortController();
    const deadline = sleep(this.config.ai.timeoutMs, null, { signal: timer.signal }).catch(
      () => null,
    );
    const results = await Promise.all(
      stale.map((d) => Promise.race([this.transformOnce(d, { force: false }), deadline])),
    ).finally(() => timer.abort());
    let transformed = 0;
    stale.forEach((d, i) => {
      const content = results[i];
      if (content) transformed += 1;
      byId.set(d.id, content ? ready(content) : this.transformations.pending(d));
    });
    this.logger.log(
      `display cache: ${cached} cached, ${transformed} transformed, ${cached} AI calls saved` +
        (transformed < stale.length ? `, ${stale.length - transformed} pending` : ''),
    );
    return { byId, cached, transformed };
  }

  async everyTime(deliverables: DeliverableEntity[]): Promise<ResolvedDisplays> {
    const byId = new Map<string, DeliverableDisplay>();
    let transformed = 0;
    for (const d of deliverables) {
      try {
        byId.set(d.id, ready(await this.transformations.transform(d)));
        transformed += 1;
      } catch (error) {
        this.noteFailure(d, error);
        byId.set(d.id, this.transformations.pending(d));
      }
    }
    return { byId, cached: 0, transformed };
  }

  /** Transforms again now, whatever is stored; null when the transformation failed. */
  regenerate(d: DeliverableEntity): Promise<DisplayContent | null> {
    return this.transformOnce(d, { force: true });
  }

  /** Single-flight: concurrent requests for the same content share one transformation. */
  private transformOnce(
    d: DeliverableEntity,
    { force }: { force: boolean },
  ): Promise<DisplayContent | null> {
    const version = this.transformations.version;
    const key = `${d.id}:${d.contentHash}:${version}${force ? ':force' : ''}`;
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
    const { timeoutMs } = this.config.ai;
    const giveUpAt = Date.now() + timeoutMs;
    const version = this.transformations.version;
    const claim = { contentHash: d.contentHash, version, ttlMs: timeoutMs + 5_000, force };
    while (!(await this.stored.claim(d.id, claim))) {
      // Another instance is on it: wait for its result rather than pay twice.
      const now = await this.stored.read(d.id);
      if (!now || now.contentHash !== d.contentHash) return null;
      const fresh =
        now.displayContent &&
        now.displayContentHash === d.contentHash &&
        now.transformVersion === version;
      if (fresh && !force) return now.displayContent;
      if (Date.now() >= giveUpAt) return null;
      await sleep(CLAIM_POLL_MS);
    }
    try {
      const content = await this.transformations.transform(d);
      // Not stored when the content changed meanwhile: that result is already stale.
      if (!(await this.stored.store(d.id, d.contentHash, version, content))) {
        await this.stored.release(d.id);
      }
      return content;
    } catch (error) {
      this.noteFailure(d, error);
      await this.stored.release(d.id).catch(() => undefined);
      return null;
    }
  }

  private noteFailure(d: DeliverableEntity, error: unknown): void {
    this.transformations.noteFailure(error);
    this.logger.warn(
      error instanceof QuotaExhaustedError
        ? `deliverable ${d.id}: not transformed: ${error.message}`
        : `deliverable ${d.id}: transformation failed, served pending: ${failureReason(error)}`,
    );
  }
}
