import type { Redis } from 'ioredis';

/**
 * The Redis limiter's scripts, each one atomic round trip. Per instance, a hash
 * `<namespace>:instance:<instanceId>` holds `__total` and one field per
 * workspace; the set `<namespace>:instances` lists the instances.
 */

export const TOTAL_FIELD = '__total';

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

/** The scripts as commands on the connection they were defined on. */
export interface LimiterScripts {
  wsAcquire(
    instances: string,
    own: string,
    ...args: (string | number)[]
  ): Promise<[number, string]>;
  wsRelease(own: string, ws: string): Promise<number>;
  wsRefresh(instances: string, own: string, ...args: (string | number)[]): Promise<number>;
  wsCounts(instances: string, prefix: string): Promise<string[]>;
}

/** Defines the scripts on `redis` (ioredis sends EVALSHA, and EVAL when Redis lacks the script). */
export function defineLimiterScripts(redis: Redis): LimiterScripts {
  redis.defineCommand('wsAcquire', { numberOfKeys: 2, lua: ACQUIRE });
  redis.defineCommand('wsRelease', { numberOfKeys: 1, lua: RELEASE });
  redis.defineCommand('wsRefresh', { numberOfKeys: 2, lua: REFRESH });
  redis.defineCommand('wsCounts', { numberOfKeys: 1, lua: COUNTS });
  return redis as unknown as LimiterScripts;
}
