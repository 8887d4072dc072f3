import { Logger } from '@nestjs/common';
import type { Redis } from 'ioredis';

const PREFIX = 'orch:cache';
const CHANNEL = `${PREFIX}:invalidate`;
export const tagKey = (tag: string) => `${PREFIX}:tag:${tag}`;

/**
 * The generation of every tag: what cache-manager does not do. A write bumps
 * the tags it changes; a cached value records the generations it was loaded
 * under and is current only while they are unchanged.
 *
 * Without Redis the generations live here and are authoritative. With Redis
 * they live there (one INCR per tag, never expiring: an expired tag would
 * restart at 0 and make an old value current again), every read compares
 * against them in one MGET, and a pub/sub message tells the other instances to
 * drop their in-process copies at once. An invalidation that cannot reach Redis
 * is kept and replayed when Redis is back.
 */
export class TagGenerations {
  private readonly logger = new Logger('Cache');
  private readonly local = new Map<string, number>();
  private readonly unpublished = new Set<string>();
  private subscriber: Redis | undefined;
  private redisWasDown = false;
  /** Set while this instance resyncs after an outage: reads wait for it. */
  private resyncing: Promise<void> | undefined;

  /**
   * @param onBumped called for every tag bumped here or (pub/sub) elsewhere
   * @param onRedisBack called when Redis is back after an outage, before the replay
   */
  constructor(
    private readonly redis: Redis | undefined,
    private readonly onBumped: (tags: string[]) => void,
    private readonly onRedisBack: () => Promise<void>,
  ) {
    if (!redis) return;
    redis.on('error', () => (this.redisWasDown = true));
    redis.on('close', () => (this.redisWasDown = true));
    redis.on('ready', () => void this.afterOutage());
  }

  get shared(): boolean {
    return this.redis !== undefined;
  }

  async start(): Promise<void> {
    if (!this.redis) return;
    this.subscriber = this.redis.duplicate({ enableOfflineQueue: true });
    this.subscriber.on('error', () => undefined); // RedisConnection logs outages
    this.subscriber.on('message', (_channel: string, message: string) => {
      try {
        const { tags } = JSON.parse(message) as { tags: string[] };
        this.bumpLocal(tags);
      } catch {
        this.logger.warn('ignored a malformed invalidation message');
      }
    });
    await this.subscriber.subscribe(CHANNEL).catch((error: unknown) => {
      this.logger.error(`could not subscribe to invalidations: ${String(error)}`);
    });
  }

  async stop(): Promise<void> {
    await this.subscriber?.quit().catch(() => this.subscriber?.disconnect());
  }

  /** The current generations of `tags`; rejects when Redis is configured and unreachable. */
  async current(tags: readonly string[]): Promise<number[]> {
    if (!this.redis) return this.currentLocal(tags);
    if (this.resyncing) await this.resyncing;
    if (tags.length === 0) return [];
    const replies = await this.redis.mget(...tags.map(tagKey));
    return replies.map((g) => Number(g ?? 0));
  }

  /** Without Redis: the authoritative generations, synchronously. */
  currentLocal(tags: readonly string[]): number[] {
    return tags.map((t) => this.local.get(t) ?? 0);
  }

  /** After a write commits: every value depending on one of `tags` is stale, everywhere. */
  async bump(tags: string[]): Promise<void> {
    if (tags.length === 0) return;
    this.bumpLocal(tags);
    if (this.redis) await this.publish(tags);
  }

  private bumpLocal(tags: string[]): void {
    for (const tag of tags) this.local.set(tag, (this.local.get(tag) ?? 0) + 1);
    this.onBumped(tags);
  }

  private async publish(tags: string[]): Promise<void> {
    try {
      const multi = this.redis!.multi();
      for (const tag of tags) multi.incr(tagKey(tag));
      multi.publish(CHANNEL, JSON.stringify({ tags }));
      const results = await multi.exec();
      if (!results || results.some(([error]) => error)) throw new Error('the transaction failed');
    } catch (error) {
      // While Redis is down no instance serves from its caches; the replay on reconnect
      // makes sure nobody serves a copy this write made stale afterwards.
      for (const tag of tags) this.unpublished.add(tag);
      this.logger.warn(
        `could not publish an invalidation (${error instanceof Error ? error.message : String(error)}); will replay it when Redis is back`,
      );
    }
  }

  /**
   * Redis is back after an outage: it may have restarted empty (every
   * generation 0 again) or missed this instance's invalidations. The owner
   * drops every in-process copy, then the failed invalidations are replayed.
   */
  private async afterOutage(): Promise<void> {
    if (!this.redisWasDown) return;
    this.redisWasDown = false;
    const resync = (async () => {
      await this.onRedisBack();
      const tags = [...this.unpublished];
      this.unpublished.clear();
      if (tags.length > 0) await this.publish(tags);
      this.logger.log(
        `Redis is back: in-process copies dropped, ${tags.length} invalidation(s) replayed`,
      );
    })();
    this.resyncing = resync;
    try {
      await resync;
    } finally {
      if (this.resyncing === resync) this.resyncing = undefined;
    }
  }
}

export function sameGenerations(a: readonly number[], b: readonly number[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
