import { randomUUID } from 'node:crypto';
import {
  type CacheStatsResponse,
  type DeliverableListResponse,
  type DisplayedDeliverable,
  type DisplayContentStats,
  ErrorCode,
  type ErrorResponse,
  type QuotaCheck,
  type QuotaNotification,
  type QuotaNotifications,
  type QuotaStatus,
  type QuotaUsage,
  type Workspace,
} from '@orch/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DomainEvent, DomainEvents } from '../../src/infra/events/domain-events.js';
import type { ApiResponse } from '../support/api-client.js';
import { factory, type TestUser } from '../support/factories.js';
import { type FakeOpenAi, startFakeOpenAi } from '../support/fake-openai.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { operatorToken } from '../support/operator.js';

/**
 * The per-workspace daily AI-call quota (AI_DAILY_QUOTA=5 here) against the real app, whose
 * display transformer is the `openai` adapter pointed at a fake provider that counts every
 * call on the wire (support/fake-openai.ts). Rate limits stay at startTestApp's raised level:
 * this file reads the quota endpoints far more often than 10 times a minute.
 */

const QUOTA = 5;
const DAY_MS = 86_400_000;

describe('the daily AI-call quota', () => {
  let fake: FakeOpenAi;
  let t: TestApp;
  let f: ReturnType<typeof factory>;
  let owner: TestUser;
  const events: DomainEvent[] = [];
  let titles = 0;

  beforeAll(async () => {
    fake = await startFakeOpenAi();
    t = await startTestApp({
      env: {
        AI_DAILY_QUOTA: String(QUOTA),
        AI_PROVIDER: 'openai',
        AI_BASE_URL: fake.baseUrl,
        AI_API_KEY: 'test-key',
        AI_MODEL: 'test-model',
        AI_MAX_RETRIES: '2',
        AI_CONCURRENCY: '4',
        AI_TIMEOUT_MS: '10000',
        // The read-path mode, whose reads spend the quota; the display queue's quota
        // behaviour (jobs wait for the next day) is in display-queue.spec.ts.
        OPTIMIZATIONS: '-display-queue',
      },
    });
    t.app.get(DomainEvents).subscribe((event) => {
      events.push(event);
    });
    f = factory(t.api);
    owner = await f.user();
  });
  afterAll(async () => {
    await t?.close();
    await fake?.close();
  });

  const token = () => owner.token;

  function ok<T>(res: ApiResponse<T>, status = 200): T {
    expect(res.status, res.text).toBe(status);
    return res.body;
  }

  const quota = {
    status: async (ws: Workspace) =>
      ok(
        await t.api.get<QuotaStatus>(`/api/quota/status?workspaceId=${ws.id}`, { token: token() }),
      ),
    check: async (ws: Workspace) =>
      ok(await t.api.get<QuotaCheck>(`/api/quota/check?workspaceId=${ws.id}`, { token: token() })),
    usage: async (ws: Workspace) =>
      ok(await t.api.get<QuotaUsage>(`/api/quota/usage?workspaceId=${ws.id}`, { token: token() })),
    notifications: async (ws: Workspace) =>
      ok(
        await t.api.get<QuotaNotifications>(`/api/quota/notifications?workspaceId=${ws.id}`, {
          token: token(),
        }),
      ).items,
  };

  const list = async (ws: Workspace) =>
    ok(
      await t.api.get<DeliverableListResponse>(`/api/workspaces/${ws.id}/deliverables?limit=50`, {
        token: token(),
      }),
    );
  const read = async (d: DisplayedDeliverable) =>
    ok(await t.api.get<DisplayedDeliverable>(`/api/deliverables/${d.id}`, { token: token() }));
  const stats = async (): Promise<DisplayContentStats> =>
    ok(
      await t.api.get<CacheStatsResponse>('/api/performance/cache-stats', {
        token: await operatorToken(t.api),
      }),
    ).displayContent;

  /** A new workspace with `count` deliverables (titles unique in the whole file). */
  async function seed(count: number): Promise<{ ws: Workspace; items: DisplayedDeliverable[] }> {
    const ws = await f.workspace(owner);
    const items: DisplayedDeliverable[] = [];
    for (let i = 0; i < count; i++) items.push(await add(ws));
    return { ws, items };
  }
  async function add(ws: Workspace): Promise<DisplayedDeliverable> {
    titles += 1;
    const title = `Quota report ${titles}`;
    return f.deliverable(owner, ws.id, {
      title,
      content: `## Findings\n\n${title} found something.`,
    });
  }

  /** Requests that reached the provider for these deliverables. */
  const callsFor = (items: DisplayedDeliverable[]) =>
    items.reduce((sum, d) => sum + fake.callsFor(d.title), 0);

  const quotaEvents = (ws: Workspace): QuotaNotification[] =>
    events.flatMap((e) =>
      e.type === 'quota.notification' && e.workspaceId === ws.id ? [e.payload.notification] : [],
    );

  /** Today (UTC) as the server sees it: the day before `resetsAt`. */
  const today = (status: QuotaStatus) =>
    new Date(Date.parse(status.resetsAt) - DAY_MS).toISOString().slice(0, 10);
  const daysBefore = (day: string, n: number) =>
    new Date(Date.parse(`${day}T00:00:00Z`) - n * DAY_MS).toISOString().slice(0, 10);

  it('counts every provider call: status.used grows by exactly the calls made, retries included', async () => {
    const { ws, items } = await seed(2);
    const fresh = await quota.status(ws);
    expect(fresh).toEqual({
      workspaceId: ws.id,
      used: 0,
      limit: QUOTA,
      remaining: QUOTA,
      resetsAt: expect.stringMatching(/T00:00:00\.000Z$/) as string,
    } satisfies QuotaStatus);
    const untilReset = Date.parse(fresh.resetsAt) - Date.now();
    expect(untilReset).toBeGreaterThan(0);
    expect(untilReset).toBeLessThanOrEqual(DAY_MS);

    const first = await list(ws);
    expect(first.items.map((d) => d.displayStatus)).toEqual(['ready', 'ready']);
    expect(callsFor(items)).toBe(2);
    expect(await quota.status(ws)).toMatchObject({ used: 2, remaining: 3 });

    // Served from what was stored: no call, nothing counted.
    await list(ws);
    expect(callsFor(items)).toBe(2);
    expect((await quota.status(ws)).used).toBe(2);

    // One transformation, two requests on the wire (a 503, then the retry): two calls counted.
    const flaky = await add(ws);
    fake.enqueueFor(flaky.title, { status: 503, retryAfter: '0' });
    expect((await read(flaky)).displayStatus).toBe('ready');
    expect(fake.callsFor(flaky.title)).toBe(2);
    expect(await quota.status(ws)).toMatchObject({ used: 4, remaining: 1 });
    expect((await quota.usage(ws)).total).toBe(callsFor([...items, flaky]));
  });

  it('/check allows until the limit and refuses at it; 80% and 100% are notified once each', async () => {
    const { ws, items } = await seed(QUOTA);
    const status = await quota.status(ws);
    for (const [i, d] of items.entries()) {
      expect((await read(d)).displayStatus, d.title).toBe('ready');
      const used = i + 1;
      const allowed = used < QUOTA;
      expect(await quota.check(ws), `after ${used} calls`).toEqual({
        workspaceId: ws.id,
        allowed,
        used,
        limit: QUOTA,
        remaining: QUOTA - used,
        reason: allowed ? null : 'daily_quota_exhausted',
      } satisfies QuotaCheck);
      const thresholds = (await quota.notifications(ws)).map((n) => n.threshold);
      expect(
        thresholds.sort((a, b) => a - b),
        `after ${used} calls`,
      ).toEqual(used >= 5 ? [80, 100] : used >= 4 ? [80] : []);
    }

    const notifications = await quota.notifications(ws);
    const byThreshold = (n: QuotaNotification[], threshold: number) =>
      n.find((x) => x.threshold === threshold);
    expect(byThreshold(notifications, 80)).toEqual({
      workspaceId: ws.id,
      day: today(status),
      threshold: 80,
      used: 4,
      limit: QUOTA,
      createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) as string,
    } satisfies QuotaNotification);
    expect(byThreshold(notifications, 100)).toMatchObject({
      threshold: 100,
      used: 5,
      limit: QUOTA,
    });

    // Published once each, as domain events, with what is stored.
    expect(quotaEvents(ws)).toHaveLength(2);
    expect(byThreshold(quotaEvents(ws), 80)).toEqual(byThreshold(notifications, 80));
    expect(byThreshold(quotaEvents(ws), 100)).toEqual(byThreshold(notifications, 100));

    // Further reads, and further attempts at the limit, notify nothing more.
    await add(ws);
    await list(ws);
    await list(ws);
    expect(await quota.notifications(ws)).toEqual(notifications);
    expect(await quota.notifications(ws)).toEqual(notifications);
    expect(quotaEvents(ws)).toHaveLength(2);
  });

  it('at the limit a list makes no provider call and serves new items pending; cache-stats counts quotaBlocked', async () => {
    const { ws, items } = await seed(QUOTA);
    expect((await list(ws)).items.every((d) => d.displayStatus === 'ready')).toBe(true);
    expect((await quota.check(ws)).allowed).toBe(false);

    const blockedBefore = (await stats()).quotaBlocked;
    const late = [await add(ws), await add(ws), await add(ws)];
    const callsBefore = fake.calls.length;

    const page = await list(ws);
    expect(fake.calls.length).toBe(callsBefore);
    const byId = new Map(page.items.map((d) => [d.id, d]));
    for (const d of late) {
      expect(byId.get(d.id)).toMatchObject({ displayStatus: 'pending', displayContent: null });
    }
    for (const d of items) expect(byId.get(d.id)?.displayStatus).toBe('ready');
    expect(page.displayCache).toEqual({
      cached: QUOTA,
      transformed: 0,
      pending: late.length,
      aiCallsSaved: QUOTA,
    });

    expect(await read(late[0])).toMatchObject({ displayStatus: 'pending', displayContent: null });
    const regenerated = await t.api.post<ErrorResponse>(
      `/api/deliverables/${items[0].id}/regenerate`,
      undefined,
      { token: token() },
    );
    expect(regenerated.status, regenerated.text).toBe(429);
    expect(regenerated.body.code).toBe('QUOTA_EXHAUSTED');
    expect(fake.calls.length).toBe(callsBefore);

    const after = await stats();
    expect(after.quotaBlocked).toBeGreaterThan(0);
    expect(after.quotaBlocked - blockedBefore).toBe(late.length + 2);
    expect((await quota.status(ws)).used).toBe(QUOTA);

    // The quota is per workspace: another one of the same owner is transformed as usual.
    const other = await seed(1);
    expect((await list(other.ws)).items[0].displayStatus).toBe('ready');
    expect(callsFor(other.items)).toBe(1);
  });

  it('never lets one list take a workspace past its quota (8 stale items, 5 calls left)', async () => {
    const { ws, items } = await seed(8);
    const page = await list(ws);
    const used = (await quota.status(ws)).used;
    expect(callsFor(items)).toBe(used);
    expect(used, 'AI calls made for a workspace with a daily quota of 5').toBeLessThanOrEqual(
      QUOTA,
    );
    expect(page.items.filter((d) => d.displayStatus === 'ready')).toHaveLength(used);
  });

  it('checks the quota before every provider call, retries included', async () => {
    const { ws, items } = await seed(QUOTA);
    for (const d of items.slice(0, QUOTA - 1)) await read(d);
    expect((await quota.status(ws)).used).toBe(QUOTA - 1);

    // The last call allowed fails with a 503: a retry would be call number 6.
    const last = items[QUOTA - 1];
    fake.enqueueFor(last.title, { status: 503, retryAfter: '0' });
    await read(last);
    const used = (await quota.status(ws)).used;
    expect(callsFor(items)).toBe(used);
    expect(used, 'AI calls made for a workspace with a daily quota of 5').toBeLessThanOrEqual(
      QUOTA,
    );
  });

  it('/usage returns the last 30 days, oldest first, with today and earlier days as stored', async () => {
    const { ws, items } = await seed(1);
    const day = today(await quota.status(ws));
    // Earlier days, arranged in the table the quota reads: 29 days ago is the oldest shown.
    await t.db.query(
      `INSERT INTO ai_usage (workspace_id, day, calls) VALUES
         ($1, $2::date - 3, 7), ($1, $2::date - 29, 2), ($1, $2::date - 30, 11), ($1, $2::date - 40, 9)`,
      [ws.id, day],
    );
    await read(items[0]);

    const usage = await quota.usage(ws);
    expect(usage.workspaceId).toBe(ws.id);
    expect(usage.days.map((d) => d.day)).toEqual(
      Array.from({ length: 30 }, (_, i) => daysBefore(day, 29 - i)),
    );
    const calls = Object.fromEntries(usage.days.map((d) => [d.day, d.calls]));
    expect(calls[day]).toBe(1);
    expect(calls[daysBefore(day, 3)]).toBe(7);
    expect(calls[daysBefore(day, 29)]).toBe(2);
    expect(usage.days.filter((d) => d.calls === 0)).toHaveLength(27);
    expect(usage.total).toBe(1 + 7 + 2);
    // Only today counts against the quota.
    expect(await quota.status(ws)).toMatchObject({ used: 1, remaining: QUOTA - 1 });
  });

  it('answers 400 naming workspaceId when it is missing or not a UUID, on every endpoint', async () => {
    const { ws } = await seed(0);
    const bad = [
      '',
      '?workspaceId=',
      '?workspaceId=not-a-uuid',
      '?workspaceId=123',
      `?workspaceId=${ws.id}x`,
      `?workspaceId=${ws.id}&workspaceId=${ws.id}`,
      `?workspace=${ws.id}`,
    ];
    for (const endpoint of ['status', 'check', 'usage', 'notifications']) {
      for (const query of bad) {
        const res = await t.api.get<ErrorResponse>(`/api/quota/${endpoint}${query}`, {
          token: token(),
        });
        const what = `GET /api/quota/${endpoint}${query}`;
        expect(res.status, `${what}: ${res.text}`).toBe(400);
        expect(res.body, what).toMatchObject({
          statusCode: 400,
          error: 'Bad Request',
          code: ErrorCode.ValidationFailed,
          details: [{ field: 'workspaceId' }],
        });
        expect(res.body.message, what).toContain('workspaceId');
      }
    }
  });

  it('answers 404 to a non-member, exactly as for a workspace that does not exist; 401 without a token', async () => {
    const { ws } = await seed(0);
    const stranger = await f.user();
    for (const endpoint of ['status', 'check', 'usage', 'notifications']) {
      const path = `/api/quota/${endpoint}?workspaceId=`;
      const notMine = await t.api.get<ErrorResponse>(`${path}${ws.id}`, { token: stranger.token });
      const missing = await t.api.get<ErrorResponse>(`${path}${randomUUID()}`, {
        token: stranger.token,
      });
      expect(notMine.status, notMine.text).toBe(404);
      expect(notMine.body).toEqual({
        statusCode: 404,
        error: 'Not Found',
        message: expect.any(String) as string,
        code: ErrorCode.NotFound,
      } satisfies ErrorResponse);
      expect(missing.status).toBe(404);
      expect(missing.text).toBe(notMine.text);

      const anonymous = await t.api.get<ErrorResponse>(`${path}${ws.id}`);
      expect(anonymous.status).toBe(401);
      expect(anonymous.body.code).toBe(ErrorCode.Unauthenticated);
    }
  });
});
