import { CacheableMemory } from '@cacheable/memory';
import {
  type BeforeApplicationShutdown,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import type { DisplayQueueStats } from '@orch/contracts';
import { AppConfig } from '../../../infra/config/app-config.js';
import { DomainEvents } from '../../../infra/events/domain-events.js';
import { Optimizations } from '../../../infra/optimizations/optimizations.js';
import { toDisplayedDeliverable } from '../deliverables.mapper.js';
import type { DeliverableEntity } from '../entities/deliverable.entity.js';
import { DisplayContentRepository } from './display-content.repository.js';
import {
  type DisplayJobRequest,
  DisplayQueueRepository,
  type LeasedJob,
} from './display-queue.repository.js';
import { DisplayTransformations, QuotaExhaustedError, ready } from './display-transformations.js';
import { failureReason } from './display-transformer.js';

/** A failing job waits at most this long between attempts. */
const MAX_RETRY_MS = 10 * 60_000;
/** A lease outlives the transformation it covers (bounded by AI_TIMEOUT_MS) by this much. */
const LEASE_MARGIN_MS = 5_000;

/**
 * The display queue's worker pool (docs/display-content.md): up to
 * AI_CONCURRENCY transformations at once in this process, taken from the
 * display_jobs table shared by every instance, so each job runs on one of them.
 *
 * Work comes in two ways: a write enqueues its deliverable (durably, before it
 * answers), and a read that serves a deliverable pending hands it over here
 * once per content, never waiting: the loop stores such jobs off the read path
 * (a transform-version change, or rows written around the API, are found that
 * way, and only for what someone reads). One long-lived loop leases due jobs,
 * so no request's context, timer or query count is involved.
 */
@Injectable()
export class DisplayQueueWorker implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('DisplayQueue');
  private readonly discovered = new Map<string, DisplayJobRequest>();
  /** `id:contentHash` already handed to the queue by this process: a read offers it once. */
  private readonly offered = new CacheableMemory({ lruSize: 50_000, useClone: false });
  /** The jobs this process runs, by lease token (a deliverable may be leased again meanwhile). */
  private readonly running = new Map<string, Promise<void>>();
  private readonly stopping = new AbortController();
  private readonly finished = new LastMinute();
  private wake: (() => void) | null = null;
  private nudged = false;
  private loop: Promise<void> | null = null;

  constructor(
    private readonly jobs: DisplayQueueRepository,
    private readonly stored: DisplayContentRepository,
    private readonly transformations: DisplayTransformations,
    private readonly events: DomainEvents,
    private readonly optimizations: Optimizations,
    private readonly config: AppConfig,
  ) {}

  get enabled(): boolean {
    return this.optimizations.isOn('display-cache') && this.optimizations.isOn('display-queue');
  }

  onApplicationBootstrap(): void {
    if (!this.enabled) return;
    this.loop = this.run();
    this.logger.log(
      `transforming behind the read path, ${this.config.ai.concurrency} at a time (display-queue)`,
    );
  }

  /** Stops leasing, aborts what runs and hands it back, before the pool closes. */
  async beforeApplicationShutdown(): Promise<void> {
    this.stopping.abort();
    this.nudge();
    await this.loop;
    await Promise.all(this.running.values());
  }

  /** After a write of `d`'s content (or a regenerate): durable when it resolves. */
  async enqueue(d: DeliverableEntity, { force }: { force: boolean }): Promise<void> {
    await this.jobs.enqueue(
      { deliverableId: d.id, workspaceId: d.workspaceId, contentHash: d.contentHash },
      { force },
    );
    this.offered.set(`${d.id}:${d.contentHash}`, true);
    this.nudge();
  }

  /** A read served `d` pending: queued once per content by the loop; the read goes on at once. */
  discover(d: DeliverableEntity): void {
    const key = `${d.id}:${d.contentHash}`;
    if (this.offered.get(key)) return;
    this.offered.set(key, true);
    this.discovered.set(d.id, {
      deliverableId: d.id,
      workspaceId: d.workspaceId,
      contentHash: d.contentHash,
    });
    this.nudge();
  }

  /** For /api/performance/cache-stats: depth and age across instances (one query), this one's rates. */
  async stats(): Promise<DisplayQueueStats | null> {
    if (!this.enabled) return null;
    const depth = await this.jobs.depth().catch((error: unknown) => {
      this.logger.warn(`display queue depth unavailable: ${failureReason(error)}`);
      return { depth: 0, due: 0, running: 0, quotaBlocked: 0, failing: 0, oldestJobAgeSeconds: 0 };
    });
    return {
      ...depth,
      transformsLastMinute: this.finished.count(),
      workersBusy: this.running.size,
      concurrency: this.config.ai.concurrency,
    };
  }

  private async run(): Promise<void> {
    const { concurrency, timeoutMs } = this.config.ai;
    while (!this.stopping.signal.aborted) {
      try {
        await this.storeDiscovered();
        const free = concurrency - this.running.size;
        if (free > 0) {
          const leased = await this.jobs.lease(
            free,
            timeoutMs + LEASE_MARGIN_MS,
            this.transformations.version,
          );
          for (const job of leased) this.start(job);
        }
      } catch (error) {
        this.logger.warn(`display queue: ${failureReason(error)}; trying again`);
      }
      await this.idle(this.config.displayQueue.pollMs);
    }
  }

  private async storeDiscovered(): Promise<void> {
    if (this.discovered.size === 0) return;
    const batch = [...this.discovered.values()];
    this.discovered.clear();
    try {
      await this.jobs.enqueueMissing(batch);
    } catch (error) {
      // Offered again by the next read that meets them.
      for (const job of batch) this.offered.delete(`${job.deliverableId}:${job.contentHash}`);
      throw error;
    }
  }

  private start(job: LeasedJob): void {
    const done = this.process(job)
      .catch((error: unknown) => {
        // The lease runs out and another attempt follows: nothing is lost.
        this.logger.error(`display job ${job.deliverableId}: ${failureReason(error)}`);
      })
      .finally(() => {
        this.running.delete(job.claimToken);
        this.nudge();
      });
    this.running.set(job.claimToken, done);
  }

  private async process(job: LeasedJob): Promise<void> {
    if (job.alreadyFresh && !job.force) {
      await this.jobs.complete(job);
      return;
    }
    const version = this.transformations.version;
    let content;
    try {
      content = await this.transformations.transform(job, this.stopping.signal);
    } catch (error) {
      await this.failed(job, error);
      return;
    }
    const row = await this.stored.storeReturning(
      job.deliverableId,
      job.contentHash,
      version,
      content,
    );
    await this.jobs.complete(job);
    this.finished.add();
    // Null: the content changed meanwhile; its write queued the new content.
    if (row) {
      await this.events.publish({
        type: 'deliverable.updated',
        workspaceId: row.workspaceId,
        payload: { deliverable: toDisplayedDeliverable(row, ready(content)) },
        displayOnly: true,
      });
    }
  }

  private async failed(job: LeasedJob, error: unknown): Promise<void> {
    if (this.stopping.signal.aborted) {
      await this.jobs.release(job);
      return;
    }
    this.transformations.noteFailure(error);
    if (error instanceof QuotaExhaustedError) {
      await this.jobs.postponeWorkspace(job);
      this.logger.warn(`${error.message}: its display jobs wait for the next UTC day`);
      return;
    }
    const { maxAttempts, retryBaseMs } = this.config.displayQueue;
    const retryMs =
      job.attempts < maxAttempts
        ? Math.min(retryBaseMs * 2 ** (job.attempts - 1), MAX_RETRY_MS)
        : null;
    await this.jobs.retryLater(job, retryMs, failureReason(error));
    this.logger.warn(
      `deliverable ${job.deliverableId}: transformation failed (attempt ${job.attempts}): ` +
        `${failureReason(error)}; ` +
        (retryMs === null ? 'waiting for its next edit' : `retrying in ${retryMs / 1000} s`),
    );
  }

  private nudge(): void {
    this.nudged = true;
    const wake = this.wake;
    this.wake = null;
    wake?.();
  }

  /** Until nudged (a write, a read's discovery, a finished job, shutdown) or `ms` pass. */
  private async idle(ms: number): Promise<void> {
    if (this.nudged || this.stopping.signal.aborted) {
      this.nudged = false;
      return;
    }
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
    this.wake = null;
    this.nudged = false;
  }
}

/** Events in the last 60 s, in one-second buckets: bounded whatever the rate. */
class LastMinute {
  private readonly buckets = new Array<number>(60).fill(0);
  private readonly seconds = new Array<number>(60).fill(0);

  add(): void {
    const now = Math.floor(Date.now() / 1000);
    const i = now % 60;
    if (this.seconds[i] !== now) {
      this.seconds[i] = now;
      this.buckets[i] = 0;
    }
    this.buckets[i] += 1;
  }

  count(): number {
    const now = Math.floor(Date.now() / 1000);
    let total = 0;
    for (let i = 0; i < 60; i++) if (now - this.seconds[i] < 60) total += this.buckets[i];
    return total;
  }
}
