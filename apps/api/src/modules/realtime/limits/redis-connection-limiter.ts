import { Logger } from '@nestjs/common';
import type { ConnectionRejectedReason } from '@orch/contracts';
import type { Redis } from 'ioredis';
import type {
  AcquireResult,
  ConnectionCounts,
  ConnectionLimiter,
  Limits,
} from './connection-limiter.js';
import { LocalConnectionLimiter } from './local-connection-limiter.js';
import { defineLimiterScripts, type LimiterScripts, TOTAL_FIELD } from './redis-limiter-scripts.js';

export interface RedisConnectionLimiterOptions {
  limits: Limits;
  /** This instance: the name of its hash. */
  instanceId: string;
  /** TTL of the instance's hash, refreshed every third of it (at least every 250 ms). */
  ttlMs: number;
  /** Prefix of the limiter's keys (default `orch:ws`). */
  namespace?: string;
}

/**
 * Cross-instance slots in Redis. While Redis is unreachable it falls back to
 * counting this instance alone (logged once), and resynchronises its hash
 * from the local truth when Redis returns.
 */
export class RedisConnectionLimiter implements ConnectionLimiter {
  private readonly logger = new Logger('ConnectionLimiter');
  private readonly local: LocalConnectionLimiter;
  private readonly instancesKey: string;
  private readonly ownKey: string;
  private readonly prefix: string;
  private readonly refresher: NodeJS.Timeout;
  private readonly scripts: LimiterScripts;
  private readonly limits: Limits;
  private readonly instanceId: string;
  private readonly ttlMs: number;
  private degraded = false;
  /**
   * Acquires sent to Redis and not answered yet. Redis has counted (or will count) them, the
   * local truth has not: a refresh must not rewrite the hash from a snapshot taken meanwhile.
   */
  private acquiring = 0;

  constructor(
    private readonly redis: Redis,
    { limits, instanceId, ttlMs, namespace = 'orch:ws' }: RedisConnectionLimiterOptions,
  ) {
    this.limits = limits;
    this.instanceId = instanceId;
    this.ttlMs = ttlMs;
    this.local = new LocalConnectionLimiter({
      perWorkspace: Number.MAX_SAFE_INTEGER,
      total: Number.MAX_SAFE_INTEGER,
    });
    this.instancesKey = `${namespace}:instances`;
    this.prefix = `${namespace}:instance:`;
    this.ownKey = `${this.prefix}${instanceId}`;
    this.scripts = defineLimiterScripts(redis);
    this.refresher = setInterval(() => void this.refresh(), Math.max(250, Math.floor(ttlMs / 3)));
    this.refresher.unref();
  }

  async acquire(workspaceId: string): Promise<AcquireResult> {
    this.acquiring++;
    try {
      const [ok, reason] = await this.scripts.wsAcquire(
        this.instancesKey,
        this.ownKey,
        workspaceId,
        this.limits.perWorkspace,
        this.limits.total,
        this.ttlMs,
        this.instanceId,
        this.prefix,
      );
      this.recovered();
      if (ok !== 1) {
        const r = reason as ConnectionRejectedReason;
        return {
          ok: false,
          reason: r,
          limit: r === 'global_limit' ? this.limits.total : this.limits.perWorkspace,
        };
      }
      this.local.tryAcquire(workspaceId);
      return { ok: true };
    } catch (error) {
      this.degrade(error);
      // Counting this instance alone, against the same limits.
      const mine = this.local.snapshot();
      if (mine.total >= this.limits.total)
        return { ok: false, reason: 'global_limit', limit: this.limits.total };
      if ((mine.perWorkspace[workspaceId] ?? 0) >= this.limits.perWorkspace) {
        return { ok: false, reason: 'workspace_limit', limit: this.limits.perWorkspace };
      }
      this.local.tryAcquire(workspaceId);
      return { ok: true };
    } finally {
      // In the same tick as the local count above: no refresh can run in between.
      this.acquiring--;
    }
  }

  async release(workspaceId: string): Promise<void> {
    this.local.releaseSync(workspaceId);
    try {
      await this.scripts.wsRelease(this.ownKey, workspaceId);
      this.recovered();
    } catch (error) {
      this.degrade(error);
    }
  }

  async counts(): Promise<ConnectionCounts> {
    try {
      const fields = await this.scripts.wsCounts(this.instancesKey, this.prefix);
      const perWorkspace: Record<string, number> = {};
      let total = 0;
      for (let i = 0; i < fields.length; i += 2) {
        const n = Number(fields[i + 1]);
        if (fields[i] === TOTAL_FIELD) total += n;
        else if (n > 0) perWorkspace[fields[i]] = (perWorkspace[fields[i]] ?? 0) + n;
      }
      return { total, perWorkspace };
    } catch {
      return this.local.snapshot();
    }
  }

  async close(): Promise<void> {
    clearInterval(this.refresher);
    await this.local.close();
    try {
      await this.redis.multi().del(this.ownKey).srem(this.instancesKey, this.instanceId).exec();
    } catch {
      // the TTL frees them anyway
    }
  }

  /**
   * Keeps this instance's hash alive and rewrites it from the local counts. The timer calls it
   * every third of the TTL; tests call it to place a refresh exactly.
   *
   * A release needs no care: it counts down locally before it sends, and Redis runs this
   * connection's commands in the order they were sent. An acquire counts locally only after
   * Redis granted it, so while one is unanswered the snapshot lacks a slot Redis holds, and
   * rewriting the hash from it would free that slot for another instance until the next
   * refresh. Then the refresh only renews the TTL (and recreates the hash if it is gone).
   */
  async refresh(): Promise<void> {
    const mine = this.local.snapshot();
    const rewrite = this.acquiring === 0;
    try {
      await this.scripts.wsRefresh(
        this.instancesKey,
        this.ownKey,
        this.ttlMs,
        this.instanceId,
        // From the local truth whenever it is complete: Redis may have lost the hash
        // (restart, eviction) without any command failing, and an acquire since then
        // recreated it partially.
        rewrite ? '1' : '0',
        mine.total,
        ...Object.entries(mine.perWorkspace).flat(),
      );
      this.recovered();
    } catch (error) {
      this.degrade(error);
    }
  }

  private degrade(error: unknown): void {
    if (this.degraded) return;
    this.degraded = true;
    this.logger.error(
      `Redis unreachable (${error instanceof Error ? error.message : String(error)}): counting this instance's connections only until it returns`,
    );
  }

  private recovered(): void {
    if (!this.degraded) return;
    this.degraded = false;
    this.logger.log('Redis is back: connection limits are shared again');
  }
}
