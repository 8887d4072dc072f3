import { ErrorCode, type ErrorResponse, type QuotaCheck, type Workspace } from '@orch/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiResponse } from '../support/api-client.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { factory, type TestUser } from '../support/factories.js';
import { type RedisServer, startRedisServer } from '../support/redis-server.js';
import { type ApiProcess, runApiToExit, spawnApi } from '../support/spawn-api.js';

/**
 * Two built API processes (what `npm start` runs) on one database and one Redis of this
 * test's own, which it kills and restarts: the rate-limit counters are shared through Redis,
 * and while Redis is away each process counts on its own (RATE_LIMIT_REDIS_FAILURE=local).
 */

const JWT_SECRET = 'multi-instance-secret-at-least-32-characters';
const CHECK_LIMIT = 10;

const countdown = (limit: number) => Array.from({ length: limit }, (_, i) => limit - 1 - i);
const times = <T>(n: number, value: T): T[] => Array.from({ length: n }, () => value);

function remaining(res: ApiResponse<unknown>): number {
  const value = res.headers.get('x-ratelimit-remaining');
  expect(value, `X-RateLimit-Remaining on ${res.status} ${res.text}`).not.toBeNull();
  return Number(value);
}

function expectRateLimited(res: ApiResponse<unknown>): void {
  expect(res.status, res.text).toBe(429);
  expect(res.body).toEqual({
    statusCode: 429,
    error: 'Too Many Requests',
    message: expect.stringContaining('quota-check tier') as string,
    code: ErrorCode.RateLimited,
  } satisfies ErrorResponse);
  expect(res.headers.get('retry-after')).toMatch(/^[1-9]\d*$/);
}

describe('rate limits across two API processes sharing Redis', () => {
  let redis: RedisServer;
  let database: TestDatabase;
  let a: ApiProcess;
  let b: ApiProcess;

  beforeAll(async () => {
    redis = await startRedisServer();
    database = await createTestDatabase();
    const env = {
      DATABASE_URL: database.url,
      REDIS_URL: redis.url,
      JWT_SECRET,
      RATE_LIMIT_MULTIPLIER: '1',
      // Registering the test's users must not run into the per-address limit.
      RATE_LIMIT_ANONYMOUS_PER_MIN: '1000',
      DB_POOL_MAX: '3',
      AI_LOCAL_COST_MS: '0',
    };
    [a, b] = await Promise.all([spawnApi(env), spawnApi(env)]);
    await redis.waitForClients(2);
  }, 90_000);

  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    await redis?.close();
    await database?.drop();
  });

  /** A user (registered on A) with a workspace: its token is good on both processes. */
  async function userWithWorkspace(): Promise<{ user: TestUser; ws: Workspace }> {
    const f = factory(a.api);
    const user = await f.user();
    return { user, ws: await f.workspace(user) };
  }

  const check = (instance: ApiProcess, user: TestUser, ws: Workspace) =>
    instance.api.get<QuotaCheck>(`/api/quota/check?workspaceId=${ws.id}`, { token: user.token });

  it('share one budget: 5 checks on A and 5 on B, then the 11th on either is 429', async () => {
    const { user, ws } = await userWithWorkspace();
    const answers: ApiResponse<QuotaCheck>[] = [];
    for (let i = 0; i < 5; i++) {
      answers.push(await check(a, user, ws));
      answers.push(await check(b, user, ws));
    }
    expect(answers.map((r) => r.status)).toEqual(times(10, 200));
    expect(answers.map(remaining)).toEqual(countdown(CHECK_LIMIT));

    expectRateLimited(await check(a, user, ws));
    expectRateLimited(await check(b, user, ws));
    expect(await redis.keys('orch:rl:quota-check:*')).not.toHaveLength(0);
  });

  it('keep answering when Redis fails, each counting on its own, and share again once it is back', async () => {
    const { user, ws } = await userWithWorkspace();
    const before = await check(a, user, ws);
    expect(remaining(before)).toBe(CHECK_LIMIT - 1);

    await redis.stop();
    await Promise.all([
      a.waitForOutput(/Redis is unreachable/),
      b.waitForOutput(/Redis is unreachable/),
    ]);
    const seen: number[] = [];
    for (const instance of [a, b]) {
      // Each process has a window of its own, counted from zero (the Redis hit is not there).
      const ten = [];
      for (let i = 0; i < CHECK_LIMIT; i++) ten.push(await check(instance, user, ws));
      expect(ten.map((r) => r.status)).toEqual(times(CHECK_LIMIT, 200));
      expect(ten.map(remaining)).toEqual(countdown(CHECK_LIMIT));
      const eleventh = await check(instance, user, ws);
      expectRateLimited(eleventh);
      seen.push(...ten.map((r) => r.status), eleventh.status);

      const login = await instance.api.post('/api/auth/login', {
        email: user.email,
        password: 'wrong-password',
      });
      expect(login.status, login.text).toBe(401);
      const health = await instance.api.get('/api/health');
      expect(health.status, health.text).toBe(200);
      seen.push(login.status, health.status);
    }
    expect(seen.filter((status) => status >= 500)).toEqual([]);
    expect(a.output()).toMatch(/RATE_LIMIT_REDIS_FAILURE=local/);

    await redis.start();
    // Each process logs `connected to` once at start and once more when its client is back.
    await Promise.all([
      a.waitForOutput(/Redis\W+connected to redis:/, 2),
      b.waitForOutput(/Redis\W+connected to redis:/, 2),
    ]);

    // A new window in Redis, shown by the hits of both processes.
    const other = await userWithWorkspace();
    const answers: ApiResponse<QuotaCheck>[] = [];
    for (let i = 0; i < 5; i++) {
      answers.push(await check(b, other.user, other.ws));
      answers.push(await check(a, other.user, other.ws));
    }
    expect(answers.map((r) => r.status)).toEqual(times(10, 200));
    expect(answers.map(remaining)).toEqual(countdown(CHECK_LIMIT));
    expectRateLimited(await check(a, other.user, other.ws));
    expectRateLimited(await check(b, other.user, other.ws));
    expect(await redis.keys('orch:rl:quota-check:*')).not.toHaveLength(0);
  });

  it('refuses to start with RATE_LIMIT_MULTIPLIER=0, naming it', async () => {
    const result = await runApiToExit({
      DATABASE_URL: database.url,
      JWT_SECRET,
      RATE_LIMIT_MULTIPLIER: '0',
    });
    expect(result.code, result.output).toBe(1);
    expect(result.output).toContain('Invalid configuration');
    expect(result.output).toMatch(/RATE_LIMIT_MULTIPLIER: .*\(got "0"\)/);
    expect(result.output).not.toContain('ready at');
  });
});
