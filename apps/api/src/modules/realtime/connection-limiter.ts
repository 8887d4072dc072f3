import { Logger } from '@nestjs/common';
import type { ConnectionRejectedReason } from '@orch/contracts';
import type { Redis } from 'ioredis';

export type AcquireResult =
  { ok: true } | { ok: false; reason: ConnectionRejectedReason; limit: number };

export interface ConnectionCounts {
  total: number;
  perWorkspace: Record<string, number>;
}

export interface Limits {
  perWorkspace: number;
  total: number;
}

/**
 * Connection slots. The local limiter counts this process's sockets; the Redis
 * one counts every instance's, atomically, and survives an instance's crash:
 * each instance keeps its counts in its own hash with a TTL it keeps
 * refreshing, so a dead instance's counts expire with it.
 */
export interface ConnectionLimiter {
  acquire(workspaceId: string): Promise<AcquireResult>;
  release(workspaceId: string): Promise<void>;
  counts(): Promise<ConnectionCounts>;
  /** Frees every slot this instance holds (graceful shutdown). */
  close(): Promise<void>;
}

export class LocalConnectionLimiter implements ConnectionLimiter {
  private readonly byWorkspace = new Map<string, number>();
  private total = 0;

  constructor(private readonly limits: Limits) {}

  async acquire(workspaceId: string): Promise<AcquireResult> {
    return this.tryAcquire(workspaceId);
  }

  /** Synchronous: also the fallback of the Redis limiter. */
  tryAcquire(workspaceId: string): AcquireResult {
    if (this.total >= this.limits.total)
      return { ok: false, reason: 'global_limit', limit: this.limits.total };
    const current = this.byWorkspace.get(workspaceId) ?? 0;
    if (current >= this.limits.perWorkspace) {
      return { ok: false, reason: 'workspace_limit', limit: this.limits.perWorkspace };
    }
    this.byWorkspace.set(workspaceId, current + 1);
    this.total += 1;
    return { ok: true };
  }

  async release(workspaceId: string): Promise<void> {
    this.releaseSync(workspaceId);
  }

  releaseSync(workspaceId: string): void {
    const current = this.byWorkspace.get(workspaceId) ?? 0;
    if (current <= 0) return;
    if (current === 1) this.byWorkspace.delete(workspaceId);
    else this.byWorkspace.set(workspaceId, current - 1);
    this.total -= 1;
  }

  async counts(): Promise<ConnectionCounts> {
    return this.snapshot();
  }

  snapshot(): ConnectionCounts {
    return { total: this.total, perWorkspace: Object.fromEntries(this.byWorkspace) };
  }

  async close(): Promise<void> {
    this.byWorkspace.clear();
    this.total = 0;
  }
}

const TOTAL_FIELD = '__total';

/** Sums every live instance's hash, then takes a slot in this instance's hash: one atomic script. */
const ACQUIRE = `
local instances, own = KEYS[1], KEYS[2]
local ws, per_ws, max_total, ttl, own_id, prefix = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3]), ARGV[4], ARGV[5], ARGV[6]
local total, in_ws = 0, 0
for _, id in ipairs(redis.call('SMEMBERS', instances)) do
  local key = prefix .. id
  if redis.call('EXISTS', key) == 1 then
    total = total + tonumber(redis.call('HGET', key, '${TOTAL_FIELD}') or '0')
    in_ws = in_ws + tonumber(redis.call('HGET', key, ws) or '0')
  elseif id ~= own_id then
    redis.call('SREM', instances, id)
  end
end
if total >= max_total then return { 0, 'global_limit' } end
if in_ws >= per_ws then return { 0, 'workspace_limit' } end
redis.call('HINCRBY', own, ws, 1)
redis.call('HINCRBY', own, '${TOTAL_FIELD}', 1)
redis.call('PEXPIRE', own, ttl)
redis.call('SADD', instances, own_id)
return { 1, '' }
`;

const RELEASE = `
local own, ws = KEYS[1], ARGV[1]
if redis.call('EXISTS', own) == 0 then return 0 end
local left = redis.call('HINCRBY', own, ws, -1)
if left <= 0 then redis.call('HDEL', own, ws) end
local total = redis.call('HINCRBY', own, '${TOTAL_FIELD}', -1)
if total < 0 then redis.call('HSET', own, '${TOTAL_FIELD}', 0) end
return 1
`;

/**
 * Keeps this instance's hash alive; rewrites it from the local truth if it was
 * lost, or (force) after an outage during which counts changed unseen.
 */
const REFRESH = `
local instances, own = KEYS[1], KEYS[2]
local ttl, own_id, force = ARGV[1], ARGV[2], ARGV[3]
if force == '1' then redis.call('DEL', own) end
if redis.call('EXISTS', own) == 0 then
  redis.call('HSET', own, '${TOTAL_FIELD}', ARGV[4])
  for i = 5, #ARGV, 2 do redis.call('HSET', own, ARGV[i], ARGV[i + 1]) end
end
redis.call('PEXPIRE', own, ttl)
redis.call('SADD', instances, own_id)
return 1
`;

const COUNTS = `
local instances, prefix = KEYS[1], ARGV[1]
local out = {}
for _, id in ipairs(redis.call('SMEMBERS', instances)) do
  local key = prefix .. id
  if redis.call('EXISTS', key) == 1 then
    local fields = redis.call('HGETALL', key)
    for i = 1, #fields do out[#out + 1] = fields[i] end
  end
end
return out
`;

type Scripts = {
  wsAcquire(
    instances: string,
    own: string,
    ...args: (string | number)[]
  ): Promise<[number, string]>;
  wsRelease(own: string, ws: string): Promise<number>;
  wsRefresh(instances: string, own: string, ...args: (string | number)[]): Promise<number>;
  wsCounts(instances: string, prefix: string): Promise<string[]>;
};

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
  private degraded = false;

  constructor(
    private readonly redis: Redis,
    private readonly limits: Limits,
    private readonly instanceId: string,
    private readonly ttlMs: number,
    namespace = 'orch:ws',
  ) {
    this.local = new LocalConnectionLimiter({
      perWorkspace: Number.MAX_SAFE_INTEGER,
      total: Number.MAX_SAFE_INTEGER,
    });
    this.instancesKey = `${namespace}:instances`;
    this.prefix = `${namespace}:instance:`;
    this.ownKey = `${this.prefix}${instanceId}`;
    redis.defineCommand('wsAcquire', { numberOfKeys: 2, lua: ACQUIRE });
    redis.defineCommand('wsRelease', { numberOfKeys: 1, lua: RELEASE });
    redis.defineCommand('wsRefresh', { numberOfKeys: 2, lua: REFRESH });
    redis.defineCommand('wsCounts', { numberOfKeys: 1, lua: COUNTS });
    this.refresher = setInterval(() => void this.refresh(), Math.max(250, Math.floor(ttlMs / 3)));
    this.refresher.unref();
  }

  private get scripts(): Scripts {
    return this.redis as unknown as Scripts;
  }

  async acquire(workspaceId: string): Promise<AcquireResult> {
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

  private async refresh(): Promise<void> {
    const mine = this.local.snapshot();
    try {
      await this.scripts.wsRefresh(
        this.instancesKey,
        this.ownKey,
        this.ttlMs,
        this.instanceId,
        // Always from the local truth: Redis may have lost the hash (restart, eviction)
        // without any command failing, and an acquire since then recreated it partially.
        '1',
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
