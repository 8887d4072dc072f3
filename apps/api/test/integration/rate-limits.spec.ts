import { JwtService } from '@nestjs/jwt';
import {
  type AuthResponse,
  type DisplayedDeliverable,
  ErrorCode,
  type ErrorResponse,
  type HealthResponse,
  type OptimizationsResponse,
  type QuotaCheck,
  type ThinkingStep,
  type User,
  type Workspace,
} from '@orch/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/bootstrap.js';
import { AppConfig, ConfigError } from '../../src/infra/config/app-config.js';
import { ApiClient, type ApiResponse } from '../support/api-client.js';
import { addMember, factory, type TestUser } from '../support/factories.js';
import { type RedisServer, startRedisServer } from '../support/redis-server.js';
import { startTestApp, TEST_JWT_SECRET, type TestApp } from '../support/test-app.js';

/**
 * Rate limits through the real HTTP server. Every request counts against exactly one tier:
 * `anonymous`, per client address, without a valid bearer token; else the route's tier
 * (default `user`), per user. startTestApp raises every limit 1000-fold for the other suites:
 * each app here sets RATE_LIMIT_MULTIPLIER=1 (or 2) explicitly.
 */

/** The documented defaults per minute (docs/security.md, .env.example). */
const DEFAULT_LIMITS = {
  anonymous: 20,
  user: 100,
  ingest: 200,
  regenerate: 10,
  'quota-status': 20,
  'quota-check': 10,
  'quota-usage': 15,
  'quota-notifications': 30,
} as const;
type Tier = keyof typeof DEFAULT_LIMITS;

const REAL_LIMITS = { RATE_LIMIT_MULTIPLIER: '1' };
/** Real limits, except that registering the test's users must not use up the address's budget. */
const USER_TIER_ENV = { ...REAL_LIMITS, RATE_LIMIT_ANONYMOUS_PER_MIN: '1000' };

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const countdown = (limit: number, n = limit) => Array.from({ length: n }, (_, i) => limit - 1 - i);
const times = <T>(n: number, value: T): T[] => Array.from({ length: n }, () => value);

interface LimitHeaders {
  limit: number;
  remaining: number;
  reset: number;
}

/**
 * The X- headers, after checking that the IETF draft's RateLimit-Policy (`"<tier>";q=;w=`) and
 * RateLimit (`"<tier>";r=;t=`) on the same answer say the same.
 */
function limitHeaders(res: ApiResponse<unknown>): LimitHeaders {
  const header = (name: string) => {
    const value = res.headers.get(name);
    expect(value, `${name} on ${res.status} ${res.text}`).not.toBeNull();
    return value!;
  };
  const read = (name: string) => Number(header(name));
  const headers = {
    limit: read('x-ratelimit-limit'),
    remaining: read('x-ratelimit-remaining'),
    reset: read('x-ratelimit-reset'),
  };
  const policy = /^"([a-z-]+)";q=(\d+);w=(\d+)$/.exec(header('ratelimit-policy'));
  const state = /^"([a-z-]+)";r=(\d+);t=(\d+)$/.exec(header('ratelimit'));
  expect(policy, header('ratelimit-policy')).not.toBeNull();
  expect(state, header('ratelimit')).not.toBeNull();
  expect(state![1]).toBe(policy![1]);
  expect(policy![1]! in DEFAULT_LIMITS).toBe(true);
  expect([Number(policy![2]), Number(policy![3])]).toEqual([headers.limit, 60]);
  expect([Number(state![2]), Number(state![3])]).toEqual([headers.remaining, headers.reset]);
  return headers;
}

/** A 429 in the contract's error format, naming the tier, with Retry-After in seconds. */
function expectRateLimited(res: ApiResponse<unknown>, tier: Tier): void {
  expect(res.status, res.text).toBe(429);
  expect(res.body).toEqual({
    statusCode: 429,
    error: 'Too Many Requests',
    message: expect.stringContaining(`${tier} tier`) as string,
    code: ErrorCode.RateLimited,
  } satisfies ErrorResponse);
  const retryAfter = res.headers.get('retry-after');
  expect(retryAfter, 'Retry-After').toMatch(/^\d+$/);
  expect(Number(retryAfter)).toBeGreaterThanOrEqual(1);
  expect(Number(retryAfter)).toBeLessThanOrEqual(60);
}

/** `n` requests one after another (so the counters see them in order). */
async function burst<T>(
  n: number,
  send: (i: number) => Promise<ApiResponse<T>>,
): Promise<ApiResponse<T>[]> {
  const responses: ApiResponse<T>[] = [];
  for (let i = 0; i < n; i++) responses.push(await send(i));
  return responses;
}

const statuses = (responses: ApiResponse<unknown>[]) => responses.map((r) => r.status);

function limitsListed(body: OptimizationsResponse): Record<string, number> {
  expect(body.rateLimits.every((r) => r.windowSeconds === 60)).toBe(true);
  return Object.fromEntries(body.rateLimits.map((r) => [r.tier, r.limit]));
}

const checkPath = (ws: Workspace) => `/api/quota/check?workspaceId=${ws.id}`;

interface Instance {
  api: ApiClient;
  close(): Promise<void>;
}

/** Another API instance (same createApp) on a running one's database, with its own counters. */
async function startOnSameDatabase(first: TestApp, env: Record<string, string>): Promise<Instance> {
  const config = AppConfig.from({
    NODE_ENV: 'test',
    LOG_LEVEL: 'error',
    JWT_SECRET: TEST_JWT_SECRET,
    DEMO_SEED: 'false',
    WEB_DIST_DIR: '/nonexistent',
    DB_POOL_MAX: '5',
    // As startTestApp: no background goal checks changing rows between the compared reads.
    GOAL_MONITOR_ENABLED: 'false',
    ...env,
  });
  const app = await createApp(config, first.database.url);
  await app.listen(0, '127.0.0.1');
  const address = app.getHttpServer().address();
  if (!address || typeof address === 'string') throw new Error('no port');
  return { api: new ApiClient(`http://127.0.0.1:${address.port}`), close: () => app.close() };
}

describe('per-user tiers (counters in Redis)', () => {
  let redis: RedisServer;
  let t: TestApp;
  let f: ReturnType<typeof factory>;

  beforeAll(async () => {
    redis = await startRedisServer();
    t = await startTestApp({ env: { ...USER_TIER_ENV, REDIS_URL: redis.url } });
    f = factory(t.api);
  });
  afterAll(async () => {
    await t?.close();
    await redis?.close();
  });

  it('answers the 11th GET /api/quota/check within a minute with 429 and Retry-After, per user', async () => {
    const owner = await f.user();
    const ws = await f.workspace(owner);
    const member = await addMember(t.api, owner, ws.id);

    const ten = await burst(10, () => t.api.get<QuotaCheck>(checkPath(ws), { token: owner.token }));
    expect(statuses(ten)).toEqual(times(10, 200));
    expect(ten[0].body).toMatchObject({ workspaceId: ws.id, allowed: true });
    const headers = ten.map(limitHeaders);
    expect(headers.map((h) => h.limit)).toEqual(times(10, 10));
    expect(headers.map((h) => h.remaining)).toEqual(countdown(10));
    for (const { reset } of headers) {
      expect(reset).toBeGreaterThanOrEqual(1);
      expect(reset).toBeLessThanOrEqual(60);
    }

    // The IETF draft form beside the X- headers, named after the tier.
    expect(ten[0].headers.get('ratelimit-policy')).toBe('"quota-check";q=10;w=60');
    expect(ten[9].headers.get('ratelimit')).toBe(`"quota-check";r=0;t=${headers[9]!.reset}`);

    const eleventh = await t.api.get(checkPath(ws), { token: owner.token });
    expectRateLimited(eleventh, 'quota-check');
    expect(limitHeaders(eleventh)).toMatchObject({ limit: 10, remaining: 0 });
    expectRateLimited(await t.api.get(checkPath(ws), { token: owner.token }), 'quota-check');

    // Another user, same workspace, same address: a counter of their own.
    const other = await t.api.get<QuotaCheck>(checkPath(ws), { token: member.token });
    expect(other.status, other.text).toBe(200);
    expect(limitHeaders(other)).toMatchObject({ limit: 10, remaining: 9 });

    // Counted in Redis (shared by every instance), not in this process.
    expect(await redis.keys('orch:rl:quota-check:*')).not.toHaveLength(0);
  });

  it('gives each quota endpoint its own limit, apart from the others and from the user tier', async () => {
    const owner = await f.user();
    const ws = await f.workspace(owner);
    const token = owner.token;
    const before = limitHeaders(await t.api.get('/api/auth/me', { token }));
    expect(before.limit).toBe(DEFAULT_LIMITS.user);

    const endpoints = [
      ['check', 'quota-check'],
      ['status', 'quota-status'],
      ['usage', 'quota-usage'],
      ['notifications', 'quota-notifications'],
    ] as const;
    for (const [name, tier] of endpoints) {
      const limit = DEFAULT_LIMITS[tier];
      const path = `/api/quota/${name}?workspaceId=${ws.id}`;
      const allowed = await burst(limit, () => t.api.get(path, { token }));
      expect(statuses(allowed), name).toEqual(times(limit, 200));
      // The first answer shows a full budget although the endpoints before are used up.
      expect(limitHeaders(allowed[0]), name).toMatchObject({ limit, remaining: limit - 1 });
      expect(limitHeaders(allowed[limit - 1]), name).toMatchObject({ limit, remaining: 0 });
      expectRateLimited(await t.api.get(path, { token }), tier);
    }

    // 75 quota requests and 4 refusals later, the user tier has lost exactly this one request.
    const after = limitHeaders(await t.api.get('/api/auth/me', { token }));
    expect(after).toMatchObject({ limit: DEFAULT_LIMITS.user, remaining: before.remaining - 1 });
  });

  it('counts every route of the user tier against one budget of 100 a minute per user', async () => {
    const user = await f.user();
    const routes = ['/api/auth/me', '/api/workspaces', '/api/performance/optimizations'];
    const hundred = await burst(100, (i) =>
      t.api.get(routes[i % routes.length], { token: user.token }),
    );
    expect(statuses(hundred)).toEqual(times(100, 200));
    expect(hundred.map((r) => limitHeaders(r).remaining)).toEqual(countdown(100));
    expectRateLimited(await t.api.get('/api/workspaces', { token: user.token }), 'user');
  });

  it('allows 10 POST /api/deliverables/:id/regenerate a minute per user', async () => {
    const owner = await f.user();
    const ws = await f.workspace(owner);
    const d = await f.deliverable(owner, ws.id);
    const path = `/api/deliverables/${d.id}/regenerate`;

    const ten = await burst(10, () =>
      t.api.post<DisplayedDeliverable>(path, undefined, { token: owner.token }),
    );
    expect(statuses(ten)).toEqual(times(10, 202)); // queued: the display queue runs them
    expect(ten.map((r) => limitHeaders(r).limit)).toEqual(times(10, 10));
    expect(ten.map((r) => limitHeaders(r).remaining)).toEqual(countdown(10));
    expectRateLimited(await t.api.post(path, undefined, { token: owner.token }), 'regenerate');

    // Reading it is the user tier, untouched by the regenerations.
    const read = await t.api.get<DisplayedDeliverable>(`/api/deliverables/${d.id}`, {
      token: owner.token,
    });
    expect(read.status, read.text).toBe(200);
    expect(limitHeaders(read).limit).toBe(DEFAULT_LIMITS.user);
  });

  it('allows 200 thinking-step POSTs (ingest) a minute per user, outside the user tier', async () => {
    const owner = await f.user();
    const ws = await f.workspace(owner);
    const agent = await f.agent(owner, ws.id);
    const thinking = await f.process(owner, ws.id, agent.id);
    const token = owner.token;
    const path = `/api/thinking/${thinking.id}/steps`;
    const userBefore = limitHeaders(await t.api.get('/api/auth/me', { token })).remaining;

    const steps = await burst(200, (i) =>
      t.api.post<ThinkingStep>(path, { kind: 'observation', content: `step ${i}` }, { token }),
    );
    expect(statuses(steps)).toEqual(times(200, 201));
    expect(steps.map((r) => limitHeaders(r).limit)).toEqual(times(200, 200));
    expect(steps.map((r) => limitHeaders(r).remaining)).toEqual(countdown(200));
    expectRateLimited(
      await t.api.post(path, { kind: 'observation', content: 'one too many' }, { token }),
      'ingest',
    );

    const userAfter = limitHeaders(await t.api.get('/api/auth/me', { token })).remaining;
    expect(userAfter).toBe(userBefore - 1);
  });

  it('lists the active limits at GET /api/performance/optimizations', async () => {
    const user = await f.user();
    const res = await t.api.get<OptimizationsResponse>('/api/performance/optimizations', {
      token: user.token,
    });
    expect(res.status, res.text).toBe(200);
    // RATE_LIMIT_ANONYMOUS_PER_MIN=1000 in this app; the rest at their defaults.
    expect(limitsListed(res.body)).toEqual({ ...DEFAULT_LIMITS, anonymous: 1000 });
  });
});

describe('the anonymous tier: per client address', () => {
  /** TRUST_PROXY=127.0.0.1: the test plays the proxy and says who the client is. */
  let proxied: TestApp;
  /** No proxy trusted; same database, its own counters. */
  let direct: Instance;
  let addresses = 0;
  let people = 0;

  /** A client address no other test uses (198.18.0.0/15, the benchmarking range). */
  const nextAddress = () => {
    addresses += 1;
    return `198.18.${Math.floor(addresses / 256)}.${addresses % 256}`;
  };

  const forwardedFor = (address: string | undefined): Record<string, string> =>
    address ? { 'x-forwarded-for': address } : {};

  /** Registers through the trusted proxy from an address of its own: no test's budget is touched. */
  async function register(): Promise<TestUser> {
    people += 1;
    const email = `anonymous-tier-${people}-${process.pid}@example.com`;
    const password = `password-${people}`;
    const res = await proxied.api.post<AuthResponse>(
      '/api/auth/register',
      { email, password, name: `Person ${people}` },
      { headers: forwardedFor(nextAddress()) },
    );
    expect(res.status, res.text).toBe(201);
    return { token: res.body.accessToken, userId: res.body.user.id, email, password };
  }

  const login = (api: ApiClient, user: TestUser, password: string, address?: string) =>
    api.post<AuthResponse>(
      '/api/auth/login',
      { email: user.email, password },
      { headers: forwardedFor(address) },
    );

  beforeAll(async () => {
    proxied = await startTestApp({ env: { ...REAL_LIMITS, TRUST_PROXY: '127.0.0.1' } });
    direct = await startOnSameDatabase(proxied, REAL_LIMITS);
  });
  afterAll(async () => {
    await direct?.close();
    await proxied?.close();
  });

  it('refuses the 21st login from one address, even with the right password; forged X-Forwarded-For changes nothing', async () => {
    const user = await register();
    const failed = await burst(20, () => login(direct.api, user, 'wrong-password', nextAddress()));
    expect(statuses(failed)).toEqual(times(20, 401));
    expect((failed[0].body as unknown as ErrorResponse).code).toBe(ErrorCode.InvalidCredentials);
    expect(failed.map((r) => limitHeaders(r).limit)).toEqual(times(20, 20));
    expect(failed.map((r) => limitHeaders(r).remaining)).toEqual(countdown(20));

    expectRateLimited(await login(direct.api, user, user.password, nextAddress()), 'anonymous');
    expectRateLimited(await login(direct.api, user, user.password), 'anonymous');

    // A valid token is counted per user, not per address: it still works from there.
    const me = await direct.api.get<User>('/api/auth/me', { token: user.token });
    expect(me.status, me.text).toBe(200);
    expect(limitHeaders(me).limit).toBe(DEFAULT_LIMITS.user);
  });

  it('lists the default limits at RATE_LIMIT_MULTIPLIER=1', async () => {
    const user = await register();
    const res = await direct.api.get<OptimizationsResponse>('/api/performance/optimizations', {
      token: user.token,
    });
    expect(res.status, res.text).toBe(200);
    expect(limitsListed(res.body)).toEqual(DEFAULT_LIMITS);
  });

  it('behind a trusted proxy (TRUST_PROXY), counts each forwarded client on its own', async () => {
    const user = await register();
    const spread = await burst(21, (i) =>
      login(proxied.api, user, i < 20 ? 'wrong-password' : user.password, nextAddress()),
    );
    expect(statuses(spread)).toEqual([...times(20, 401), 200]);
    expect(spread.map((r) => limitHeaders(r).remaining)).toEqual(times(21, 19));

    const address = nextAddress();
    const same = await burst(20, () => login(proxied.api, user, 'wrong-password', address));
    expect(statuses(same)).toEqual(times(20, 401));
    expect(same.map((r) => limitHeaders(r).remaining)).toEqual(countdown(20));
    expectRateLimited(await login(proxied.api, user, user.password, address), 'anonymous');

    // The proxy's own address (no header) is one more client, with its own budget.
    const fromProxy = await login(proxied.api, user, user.password);
    expect(fromProxy.status, fromProxy.text).toBe(200);
  });

  it('counts the address the trusted proxy saw, not what the client wrote to the left of it', async () => {
    const user = await register();
    const seen = nextAddress();
    const forged = await burst(20, () =>
      login(proxied.api, user, 'wrong-password', `${nextAddress()}, ${seen}`),
    );
    expect(statuses(forged)).toEqual(times(20, 401));
    expect(forged.map((r) => limitHeaders(r).remaining)).toEqual(countdown(20));
    expectRateLimited(
      await login(proxied.api, user, user.password, `${nextAddress()}, ${seen}`),
      'anonymous',
    );
  });

  it('counts requests refused for a missing or bad token against the anonymous tier', async () => {
    const user = await register();
    const address = nextAddress();
    const now = Math.floor(Date.now() / 1000);
    const b64 = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const badAuthorization: (string | undefined)[] = [
      undefined,
      'Bearer not-a-jwt',
      `Bearer ${new JwtService({ secret: 'another-secret-that-is-also-32-chars-long' }).sign({ sub: user.userId })}`,
      `Bearer ${new JwtService({ secret: TEST_JWT_SECRET }).sign({ sub: user.userId, exp: now - 60 })}`,
      `Bearer ${b64({ alg: 'none', typ: 'JWT' })}.${b64({ sub: user.userId })}.`,
      `Basic ${Buffer.from(`${user.email}:${user.password}`).toString('base64')}`,
      `Bearer ${user.token}x`,
    ];
    const refused = await burst(20, (i) => {
      const authorization = badAuthorization[i % badAuthorization.length];
      return proxied.api.get<ErrorResponse>('/api/auth/me', {
        headers: { ...forwardedFor(address), ...(authorization ? { authorization } : {}) },
      });
    });
    expect(statuses(refused)).toEqual(times(20, 401));
    expect(refused.every((r) => r.body.code === ErrorCode.Unauthenticated)).toBe(true);
    expect(refused.map((r) => limitHeaders(r).limit)).toEqual(times(20, 20));
    expect(refused.map((r) => limitHeaders(r).remaining)).toEqual(countdown(20));
    expectRateLimited(
      await proxied.api.get('/api/auth/me', { headers: forwardedFor(address) }),
      'anonymous',
    );

    // A valid token from the same address spends the user's budget, not the address's.
    const valid = await proxied.api.get<User>('/api/auth/me', {
      token: user.token,
      headers: forwardedFor(address),
    });
    expect(valid.status, valid.text).toBe(200);
    expect(limitHeaders(valid).limit).toBe(DEFAULT_LIMITS.user);
  });

  it('keeps one anonymous budget per address across routes: bad tokens and failed logins add up', async () => {
    const user = await register();
    const address = nextAddress();
    const probes = await burst(10, () =>
      proxied.api.get('/api/workspaces', {
        headers: { ...forwardedFor(address), authorization: 'Bearer not-a-jwt' },
      }),
    );
    const logins = await burst(10, () => login(proxied.api, user, 'wrong-password', address));
    expect(statuses([...probes, ...logins])).toEqual(times(20, 401));
    expect([...probes, ...logins].map((r) => limitHeaders(r).remaining)).toEqual(countdown(20));
    expectRateLimited(await login(proxied.api, user, user.password, address), 'anonymous');
  });

  it('counts an IPv6 client per /64, so rotating addresses inside its own prefix does not help', async () => {
    const user = await register();
    const inPrefix = (n: number) => `2001:db8:6:${people.toString(16)}::${n.toString(16)}`;
    const failed = await burst(20, (i) =>
      login(proxied.api, user, 'wrong-password', inPrefix(i + 1)),
    );
    expect(statuses(failed)).toEqual(times(20, 401));
    expectRateLimited(await login(proxied.api, user, user.password, inPrefix(0xbeef)), 'anonymous');
  });
});

describe('RATE_LIMIT_MULTIPLIER', () => {
  it('=2 doubles every limit: the 21st check is refused, not the 11th, and the list shows it', async () => {
    const t = await startTestApp({ env: { RATE_LIMIT_MULTIPLIER: '2' } });
    try {
      const f = factory(t.api);
      const owner = await f.user();
      const ws = await f.workspace(owner);
      const twenty = await burst(20, () => t.api.get(checkPath(ws), { token: owner.token }));
      expect(statuses(twenty)).toEqual(times(20, 200));
      expect(twenty.map((r) => limitHeaders(r).limit)).toEqual(times(20, 20));
      expect(twenty.map((r) => limitHeaders(r).remaining)).toEqual(countdown(20));
      expectRateLimited(await t.api.get(checkPath(ws), { token: owner.token }), 'quota-check');

      const res = await t.api.get<OptimizationsResponse>('/api/performance/optimizations', {
        token: owner.token,
      });
      expect(res.status, res.text).toBe(200);
      expect(limitsListed(res.body)).toEqual(
        Object.fromEntries(Object.entries(DEFAULT_LIMITS).map(([tier, n]) => [tier, n * 2])),
      );
    } finally {
      await t.close();
    }
  });

  it('=0, a negative or a non-number refuses to start, naming the variable', () => {
    for (const value of ['0', '-1', 'lots']) {
      let error: unknown;
      try {
        AppConfig.from({ JWT_SECRET: TEST_JWT_SECRET, RATE_LIMIT_MULTIPLIER: value });
      } catch (e) {
        error = e;
      }
      expect(error, value).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).problems.join('\n'), value).toMatch(/^RATE_LIMIT_MULTIPLIER: /);
    }
  });

  it('scales the per-tier variables, and a tiny multiplier lowers limits to 1, never to off', () => {
    const scaled = AppConfig.from({
      JWT_SECRET: TEST_JWT_SECRET,
      RATE_LIMIT_MULTIPLIER: '2',
      RATE_LIMIT_QUOTA_CHECK_PER_MIN: '3',
    });
    expect(scaled.rateLimits.perMinute['quota-check']).toBe(6);
    const tiny = AppConfig.from({ JWT_SECRET: TEST_JWT_SECRET, RATE_LIMIT_MULTIPLIER: '0.001' });
    expect(Object.values(tiny.rateLimits.perMinute)).toEqual(times(8, 1));
  });
});

describe('when Redis fails (RATE_LIMIT_REDIS_FAILURE)', () => {
  let redis: RedisServer;

  beforeAll(async () => {
    redis = await startRedisServer();
  });
  afterAll(async () => {
    await redis?.close();
  });

  /** An app counting in this test's Redis, a user with a workspace, and one check counted there. */
  async function appWithPolicy(policy: 'local' | 'open' | 'closed' | undefined) {
    if (!redis.running) await redis.start();
    await redis.command('FLUSHALL');
    const t = await startTestApp({
      env: {
        ...USER_TIER_ENV,
        REDIS_URL: redis.url,
        ...(policy ? { RATE_LIMIT_REDIS_FAILURE: policy } : {}),
      },
    });
    const f = factory(t.api);
    const owner = await f.user();
    const ws = await f.workspace(owner);
    const first = await t.api.get(checkPath(ws), { token: owner.token });
    expect(first.status, first.text).toBe(200);
    expect(await redis.keys('orch:rl:quota-check:*')).not.toHaveLength(0);
    return { t, f, owner, ws };
  }

  /** Redis is killed; give the app's client a moment to see its connection close. */
  async function failRedis(): Promise<void> {
    await redis.stop();
    await sleep(200);
  }

  /** After a restart (empty): polls until the app's requests are counted in Redis again. */
  async function untilCountedInRedis(t: TestApp, user: TestUser, timeoutMs = 15_000) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const res = await t.api.get('/api/auth/me', { token: user.token });
      expect([200, 429], res.text).toContain(res.status);
      if ((await redis.keys('orch:rl:user:*')).length > 0) return;
      if (Date.now() > deadline) throw new Error(`not counting in Redis after ${timeoutMs} ms`);
      await sleep(100);
    }
  }

  it('by default (local) keeps answering while Redis is down, counting in this process, then counts in Redis again', async () => {
    const { t, f, owner, ws } = await appWithPolicy(undefined);
    try {
      await failRedis();
      const seen: number[] = [];
      const ten = await burst(10, () => t.api.get(checkPath(ws), { token: owner.token }));
      expect(statuses(ten)).toEqual(times(10, 200));
      // A window of this process's own, counted from zero.
      expect(ten.map((r) => limitHeaders(r).remaining)).toEqual(countdown(10));
      const eleventh = await t.api.get(checkPath(ws), { token: owner.token });
      expectRateLimited(eleventh, 'quota-check');
      seen.push(...statuses(ten), eleventh.status);

      // Other tiers answer as usual; nothing is a 500.
      const wrong = await t.api.post('/api/auth/login', {
        email: owner.email,
        password: 'wrong-password',
      });
      const me = await t.api.get('/api/auth/me', { token: owner.token });
      const stranger = await t.api.get('/api/workspaces');
      expect([wrong.status, me.status, stranger.status]).toEqual([401, 200, 401]);
      seen.push(wrong.status, me.status, stranger.status);
      expect(seen.filter((s) => s >= 500)).toEqual([]);

      await redis.start();
      await untilCountedInRedis(t, owner);
      const other = await f.user();
      const ws2 = await f.workspace(other);
      const back = await t.api.get(checkPath(ws2), { token: other.token });
      expect(back.status, back.text).toBe(200);
      expect(limitHeaders(back)).toMatchObject({ limit: 10, remaining: 9 });
      expect(await redis.keys('orch:rl:quota-check:*')).not.toHaveLength(0);
    } finally {
      await t.close();
    }
  });

  it('open: no limit while Redis is down, the limits again once it is back', async () => {
    const { t, owner, ws } = await appWithPolicy('open');
    try {
      await failRedis();
      const down = await burst(15, () => t.api.get(checkPath(ws), { token: owner.token }));
      expect(statuses(down)).toEqual(times(15, 200));

      await redis.start();
      await untilCountedInRedis(t, owner);
      const up = await burst(10, () => t.api.get(checkPath(ws), { token: owner.token }));
      expect(statuses(up)).toEqual(times(10, 200));
      expectRateLimited(await t.api.get(checkPath(ws), { token: owner.token }), 'quota-check');
    } finally {
      await t.close();
    }
  });

  it('closed: refuses every limited request with 429 while Redis is down; health still answers', async () => {
    const { t, owner, ws } = await appWithPolicy('closed');
    try {
      await failRedis();
      expectRateLimited(await t.api.get(checkPath(ws), { token: owner.token }), 'quota-check');
      expectRateLimited(await t.api.get('/api/auth/me', { token: owner.token }), 'user');
      expectRateLimited(
        await t.api.post('/api/auth/login', { email: owner.email, password: owner.password }),
        'anonymous',
      );
      const health = await t.api.get<HealthResponse>('/api/health');
      expect(health.status, health.text).toBe(200);

      await redis.start();
      const deadline = Date.now() + 15_000;
      let res = await t.api.get(checkPath(ws), { token: owner.token });
      while (res.status === 429 && Date.now() < deadline) {
        await sleep(100);
        res = await t.api.get(checkPath(ws), { token: owner.token });
      }
      expect(res.status, res.text).toBe(200);
      expect(await redis.keys('orch:rl:quota-check:*')).not.toHaveLength(0);
    } finally {
      await t.close();
    }
  });
});
