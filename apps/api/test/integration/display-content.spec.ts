import {
  type CacheStatsResponse,
  type DeliverableListResponse,
  type DisplayContentStats,
  type DisplayedDeliverable,
  ErrorCode,
  type ErrorResponse,
  type UpdateDeliverableRequest,
  type Workspace,
} from '@orch/contracts';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createApp } from '../../src/bootstrap.js';
import { AppConfig } from '../../src/infra/config/app-config.js';
import { OpenAiTransformer } from '../../src/modules/deliverables/display-content/openai.transformer.js';
import { ApiClient, type ApiResponse } from '../support/api-client.js';
import { factory, type TestUser } from '../support/factories.js';
import { type FakeOpenAi, startFakeOpenAi } from '../support/fake-openai.js';
import { startTestApp, TEST_JWT_SECRET, type TestApp } from '../support/test-app.js';
import {
  aiUsage,
  dbQueries,
  displayRow,
  expectedDisplay,
  sleep,
  storedCount,
  timed,
  waitUntil,
} from '../support/display.js';
import { operatorToken } from '../support/operator.js';

/**
 * Cache-first display content against the real app and a real HTTP server
 * speaking the OpenAI chat-completions protocol (support/fake-openai.ts):
 * every provider call is counted where it lands, on the wire.
 */

const MODEL = 'test-model';
const COST_PER_CALL_USD = 0.01;

/** The env of an app whose transformer is the `openai` adapter pointed at `fake`. */
const aiEnv = (fake: FakeOpenAi, env: Record<string, string> = {}): Record<string, string> => ({
  AI_PROVIDER: 'openai',
  AI_BASE_URL: fake.baseUrl,
  AI_API_KEY: 'test-key',
  AI_MODEL: MODEL,
  AI_MAX_RETRIES: '2',
  AI_CONCURRENCY: '4',
  AI_TIMEOUT_MS: '10000',
  AI_COST_PER_CALL_USD: String(COST_PER_CALL_USD),
  // The read-path modes; the display queue (the default) has display-queue.spec.ts.
  OPTIMIZATIONS: '-display-queue',
  ...env,
});

/** The transform version the app stores for a model (what makes stored content fresh). */
const versionFor = (model: string) =>
  new OpenAiTransformer({ baseUrl: 'http://unused/v1', apiKey: undefined, model, maxRetries: 0 })
    .version;

interface Instance {
  api: ApiClient;
  close(): Promise<void>;
}

/** Another API instance (same createApp as `npm start`) on the database of a running one. */
async function startOnSameDatabase(first: TestApp, env: Record<string, string>): Promise<Instance> {
  const config = AppConfig.from({
    NODE_ENV: 'test',
    LOG_LEVEL: 'error',
    JWT_SECRET: TEST_JWT_SECRET,
    DEMO_SEED: 'false',
    WEB_DIST_DIR: '/nonexistent',
    DB_POOL_MAX: '5',
    RATE_LIMIT_MULTIPLIER: '1000',
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

/** Reads and writes of deliverables through one instance's API, as `user`. */
function reader(api: ApiClient, user: TestUser) {
  const token = user.token;
  return {
    list: (workspaceId: string) =>
      api.get<DeliverableListResponse>(`/api/workspaces/${workspaceId}/deliverables?limit=20`, {
        token,
      }),
    get: (id: string) => api.get<DisplayedDeliverable>(`/api/deliverables/${id}`, { token }),
    patch: (id: string, body: UpdateDeliverableRequest) =>
      api.patch<DisplayedDeliverable>(`/api/deliverables/${id}`, body, { token }),
    regenerate: (id: string) =>
      api.post<DisplayedDeliverable>(`/api/deliverables/${id}/regenerate`, undefined, { token }),
    stats: async (): Promise<DisplayContentStats> => {
      const res = await api.get<CacheStatsResponse>('/api/performance/cache-stats', {
        token: await operatorToken(api),
      });
      expect(res.status, res.text).toBe(200);
      return res.body.displayContent;
    },
  };
}

let titles = 0;
const markdownFor = (title: string, extra = '') =>
  `## Findings\n\n${title} found something.\n\n- point one\n- point two${extra}`;

/** A workspace with `count` deliverables with unique titles, made through the API. */
async function seed(
  t: TestApp,
  owner: TestUser,
  count: number,
  content: (title: string) => string = (title) => markdownFor(title),
): Promise<{ ws: Workspace; items: DisplayedDeliverable[] }> {
  const f = factory(t.api);
  const ws = await f.workspace(owner);
  const items: DisplayedDeliverable[] = [];
  for (let i = 0; i < count; i++) {
    const title = `Report ${++titles}`;
    items.push(await f.deliverable(owner, ws.id, { title, content: content(title) }));
  }
  return { ws, items };
}

const statusById = (res: ApiResponse<DeliverableListResponse>) =>
  Object.fromEntries(res.body.items.map((d) => [d.id, d.displayStatus]));

/** Printed once at the end: what the runs measured. */
const measurements: string[] = [];
afterAll(() => {
  if (measurements.length > 0) console.log(`[display-content]\n  ${measurements.join('\n  ')}`);
});

describe('display content with an OpenAI-compatible provider (display-cache on)', () => {
  let fake: FakeOpenAi;
  let t: TestApp;
  let owner: TestUser;
  let r: ReturnType<typeof reader>;

  beforeAll(async () => {
    fake = await startFakeOpenAi();
    t = await startTestApp({ env: aiEnv(fake) });
    owner = await factory(t.api).user();
    r = reader(t.api, owner);
  });
  beforeEach(() => fake.reset());
  afterAll(async () => {
    await t?.close();
    await fake?.close();
  });

  it('transforms each deliverable once, then serves what is stored until its content changes', async () => {
    const { ws, items } = await seed(t, owner, 17);
    expect(fake.calls).toHaveLength(0); // writes never call the provider

    const first = await r.list(ws.id);
    expect(first.status, first.text).toBe(200);
    expect(fake.problems).toEqual([]);
    expect(fake.calls).toHaveLength(17);
    expect(fake.calls.map((c) => c.title).sort()).toEqual(items.map((d) => d.title).sort());
    expect(new Set(fake.calls.map((c) => `${c.model} ${c.authorization}`))).toEqual(
      new Set([`${MODEL} Bearer test-key`]),
    );
    expect(first.body.displayCache).toEqual({
      cached: 0,
      transformed: 17,
      pending: 0,
      aiCallsSaved: 0,
    });
    expect(first.body.items).toHaveLength(17);
    for (const item of first.body.items) {
      expect(item.displayStatus, item.title).toBe('ready');
      expect(item.displayContent, item.title).toEqual(expectedDisplay(item));
      expect(item.displayContent?.html).toContain('<h2>Findings</h2>');
    }
    for (const d of items) {
      const row = await displayRow(t.db, d.id);
      expect(row).toMatchObject({
        display_content: expectedDisplay(d),
        display_content_hash: d.contentHash,
        transform_version: versionFor(MODEL),
        display_claim_expires_at: null,
      });
    }

    // Everything is stored: no call, the same answer.
    fake.reset();
    const second = await r.list(ws.id);
    expect(fake.calls).toHaveLength(0);
    expect(second.body.displayCache).toEqual({
      cached: 17,
      transformed: 0,
      pending: 0,
      aiCallsSaved: 17,
    });
    expect(second.body.items).toEqual(first.body.items);

    // A new content makes that one stale, and only that one.
    const edited = items[5];
    const newContent = markdownFor(edited.title, '\n\n## Update\n\nRevised conclusion.');
    const patched = await r.patch(edited.id, { content: newContent });
    expect(patched.status, patched.text).toBe(200);
    expect(patched.body).toMatchObject({ displayStatus: 'pending', displayContent: null });
    expect(fake.calls).toHaveLength(0);
    const third = await r.list(ws.id);
    expect(fake.calls.map((c) => c.title)).toEqual([edited.title]);
    expect(third.body.displayCache).toEqual({
      cached: 16,
      transformed: 1,
      pending: 0,
      aiCallsSaved: 16,
    });
    const reTransformed = third.body.items.find((d) => d.id === edited.id);
    expect(reTransformed).toMatchObject({
      content: newContent,
      displayStatus: 'ready',
      displayContent: expectedDisplay({ title: edited.title, content: newContent }),
    });
    expect(reTransformed?.displayContent?.outline).toEqual(['Findings', 'Update']);

    // A new title alone changes nothing the transformation depends on.
    fake.reset();
    const renamed = items[6];
    const retitled = await r.patch(renamed.id, { title: `${renamed.title} (renamed)` });
    expect(retitled.status, retitled.text).toBe(200);
    expect(retitled.body).toMatchObject({
      title: `${renamed.title} (renamed)`,
      displayStatus: 'ready',
      displayContent: expectedDisplay(renamed),
    });
    const fourth = await r.list(ws.id);
    expect(fake.calls).toHaveLength(0);
    expect(fourth.body.displayCache).toEqual({
      cached: 17,
      transformed: 0,
      pending: 0,
      aiCallsSaved: 17,
    });

    // Regenerate: one call, whatever is stored.
    const target = items[7];
    const before = await displayRow(t.db, target.id);
    const regenerated = await r.regenerate(target.id);
    expect(regenerated.status, regenerated.text).toBe(200);
    expect(regenerated.body).toMatchObject({
      id: target.id,
      displayStatus: 'ready',
      displayContent: expectedDisplay(target),
    });
    expect(fake.calls.map((c) => c.title)).toEqual([target.title]);
    const after = await displayRow(t.db, target.id);
    expect(after.transformed_at?.getTime()).toBeGreaterThan(before.transformed_at?.getTime() ?? 0);

    // A single read of a fresh one: no call.
    fake.reset();
    const fresh = items[8];
    const got = await r.get(fresh.id);
    expect(got.status, got.text).toBe(200);
    expect(fake.calls).toHaveLength(0);
    expect(got.body).toEqual(first.body.items.find((d) => d.id === fresh.id));

    // Every provider call was counted against the workspace, today.
    expect(await aiUsage(t.db, ws.id)).toEqual({ today: 17 + 1 + 1, rows: 1 });
  });

  it('answers 502 when regenerating fails, and keeps what is stored', async () => {
    const { ws, items } = await seed(t, owner, 1);
    const [d] = items;
    await r.list(ws.id);
    const stored = await displayRow(t.db, d.id);
    fake.reset();
    fake.enqueueFor(d.title, { status: 400 });
    const res = await r.regenerate(d.id);
    expect(res.status, res.text).toBe(502);
    expect(res.body as unknown as ErrorResponse).toMatchObject({
      statusCode: 502,
      code: ErrorCode.TransformFailed,
    });
    expect(fake.calls).toHaveLength(1);
    expect(await displayRow(t.db, d.id)).toEqual(stored);
    const got = await r.get(d.id);
    expect(got.body).toMatchObject({ displayStatus: 'ready', displayContent: expectedDisplay(d) });
    expect(fake.calls).toHaveLength(1);
  });

  it('transforms a page concurrently through the bounded pool (AI_CONCURRENCY=4)', async () => {
    const { ws } = await seed(t, owner, 17);
    fake.delayMs = 200;
    const first = await timed(() => r.list(ws.id));
    expect(first.value.status).toBe(200);
    expect(fake.calls).toHaveLength(17);
    expect(fake.maxInFlight).toBe(4);
    expect(first.value.body.items.every((d) => d.displayStatus === 'ready')).toBe(true);
    // 17 through 4 slots: 5 waves of 200 ms, never 17 x 200 ms one after another
    expect(first.ms).toBeGreaterThanOrEqual(5 * 200 - 20);
    expect(first.ms).toBeLessThan(17 * 200 * 0.75);

    fake.reset();
    const cached = await timed(() => r.list(ws.id));
    expect(fake.calls).toHaveLength(0);
    expect(cached.value.body.displayCache).toEqual({
      cached: 17,
      transformed: 0,
      pending: 0,
      aiCallsSaved: 17,
    });
    expect(cached.ms).toBeLessThan(200);
    measurements.push(
      `17 deliverables, 200 ms per provider call, AI_CONCURRENCY=4: first list ${first.ms.toFixed(0)} ms ` +
        `(${17 * 200} ms if sequential), cached list ${cached.ms.toFixed(1)} ms`,
    );
  });

  it('makes one provider call for 20 concurrent first reads of one deliverable', async () => {
    const { ws, items } = await seed(t, owner, 1);
    const [d] = items;
    fake.delayMs = 200;
    const answers = await Promise.all(Array.from({ length: 20 }, () => r.get(d.id)));
    expect(answers.map((a) => a.status)).toEqual(Array(20).fill(200));
    expect(fake.calls).toHaveLength(1);
    expect(answers.map((a) => a.body.displayStatus)).toEqual(Array(20).fill('ready'));
    expect(new Set(answers.map((a) => a.body.displayContent?.html))).toEqual(
      new Set([expectedDisplay(d).html]),
    );
    expect(await aiUsage(t.db, ws.id)).toEqual({ today: 1, rows: 1 });
  });

  it('retries 5xx (500, 500, then 200: three calls, served ready)', async () => {
    const { ws, items } = await seed(t, owner, 1);
    const [d] = items;
    fake.enqueueFor(d.title, { status: 500 }, { status: 500 });
    const got = await r.get(d.id);
    expect(got.body).toMatchObject({ displayStatus: 'ready', displayContent: expectedDisplay(d) });
    expect(fake.calls.map((c) => c.status)).toEqual([500, 500, 200]);
    expect((await displayRow(t.db, d.id)).display_content).toEqual(expectedDisplay(d));
    // retries are calls too
    expect(await aiUsage(t.db, ws.id)).toEqual({ today: 3, rows: 1 });
  });

  it('serves pending when the 5xx outlast AI_MAX_RETRIES, and tries again on the next read', async () => {
    const { ws, items } = await seed(t, owner, 1);
    const [d] = items;
    fake.enqueueFor(d.title, { status: 503 }, { status: 503 }, { status: 503 });
    const list = await r.list(ws.id);
    expect(list.body.items).toEqual([
      expect.objectContaining({
        content: d.content,
        displayStatus: 'pending',
        displayContent: null,
      }),
    ]);
    expect(list.body.displayCache).toEqual({
      cached: 0,
      transformed: 0,
      pending: 1,
      aiCallsSaved: 0,
    });
    expect(fake.calls).toHaveLength(3);
    expect((await displayRow(t.db, d.id)).display_content).toBeNull();

    const again = await r.get(d.id);
    expect(again.body.displayStatus).toBe('ready');
    expect(fake.calls).toHaveLength(4);
    expect(await aiUsage(t.db, ws.id)).toEqual({ today: 4, rows: 1 });
  });

  it('honours Retry-After on a 429', async () => {
    const { items } = await seed(t, owner, 1);
    const [d] = items;
    fake.enqueueFor(d.title, { status: 429, retryAfter: '1' });
    const { value: got, ms } = await timed(() => r.get(d.id));
    expect(got.body.displayStatus).toBe('ready');
    expect(fake.calls.map((c) => c.status)).toEqual([429, 200]);
    const waited = fake.calls[1].startedAt - (fake.calls[0].endedAt ?? Infinity);
    expect(waited).toBeGreaterThanOrEqual(950);
    expect(waited).toBeLessThan(2_000);
    expect(ms).toBeGreaterThanOrEqual(1_000);
    measurements.push(`429 with Retry-After: 1 -> retried after ${waited.toFixed(0)} ms`);
  });

  it('fails at once on a 400: one call, served pending with the raw content, nothing stored', async () => {
    const { ws, items } = await seed(t, owner, 1);
    const [d] = items;
    fake.enqueueFor(d.title, { status: 400 });
    const got = await r.get(d.id);
    expect(got.status, got.text).toBe(200);
    expect(got.body).toMatchObject({
      content: d.content,
      contentHash: d.contentHash,
      displayStatus: 'pending',
      displayContent: null,
    });
    expect(fake.calls.map((c) => c.status)).toEqual([400]);
    expect(await displayRow(t.db, d.id)).toMatchObject({
      display_content: null,
      display_content_hash: null,
      transform_version: null,
      transformed_at: null,
      display_claim_expires_at: null,
    });

    // Failures are not remembered: the next read asks again.
    const next = await r.get(d.id);
    expect(next.body).toMatchObject({ displayStatus: 'ready', displayContent: expectedDisplay(d) });
    expect(fake.calls).toHaveLength(2);
    expect(await aiUsage(t.db, ws.id)).toEqual({ today: 2, rows: 1 });
  });

  it('counts a reply that is not the JSON display form as a failure: pending, nothing stored', async () => {
    const cases = {
      'a body that is not JSON': { body: '<html>Bad Gateway</html>' },
      'no choices': { body: JSON.stringify({ id: 'x', object: 'chat.completion', choices: [] }) },
      'prose instead of JSON': { content: 'Here is your report, formatted nicely.' },
      'JSON without html': { content: JSON.stringify({ summary: 's', outline: [] }) },
      'empty html': { html: '' },
      'html that sanitises to nothing': { html: '<script>alert(1)</script>' },
    };
    const { items } = await seed(t, owner, Object.keys(cases).length);
    const outcomes: Record<string, unknown> = {};
    const expected: Record<string, unknown> = {};
    for (const [i, [name, reply]] of Object.entries(cases).entries()) {
      const d = items[i];
      fake.enqueueFor(d.title, reply);
      const got = await r.get(d.id);
      const row = await displayRow(t.db, d.id);
      outcomes[name] = {
        status: got.status,
        displayStatus: got.body.displayStatus,
        displayContent: got.body.displayContent,
        content: got.body.content,
        calls: fake.callsFor(d.title),
        stored: row.display_content,
        claimed: row.display_claim_expires_at !== null,
      };
      expected[name] = {
        status: 200,
        displayStatus: 'pending',
        displayContent: null,
        content: d.content,
        calls: 1,
        stored: null,
        claimed: false,
      };
    }
    expect(outcomes).toEqual(expected);
  });

  it('never lets a script, an event handler or a javascript: link reach displayContent.html', async () => {
    const hostile = [
      '## Findings',
      '',
      'Hello <script>alert("xss")</script> world.',
      '',
      '<img src="x" onerror="alert(1)">',
      '',
      '[click me](javascript:alert(document.cookie))',
      '',
      '<iframe src="https://evil.example"></iframe>',
      '',
      '<a href="https://ok.example" onclick="steal()" style="color:red">fine link</a>',
    ].join('\n');
    const { ws, items } = await seed(t, owner, 1, () => hostile);
    const [d] = items;
    const list = await r.list(ws.id);
    // the provider did send it all back...
    expect(fake.calls[0].replyHtml).toMatch(/<script>/);
    expect(fake.calls[0].replyHtml).toMatch(/onerror=/);
    expect(fake.calls[0].replyHtml).toMatch(/href="javascript:/);
    // ...and none of it reaches a client or the database
    const regenerated = await r.regenerate(d.id);
    const got = await r.get(d.id);
    const row = await displayRow(t.db, d.id);
    const served = [
      list.body.items[0].displayContent,
      regenerated.body.displayContent,
      got.body.displayContent,
      row.display_content,
    ];
    for (const display of served) {
      expect(display).not.toBeNull();
      const html = display?.html ?? '';
      expect(html).not.toMatch(/<script|<iframe|onerror|onclick|javascript:|style=|alert\(/i);
      expect(html).toContain('<a>click me</a>');
      expect(html).toContain('<a href="https://ok.example">fine link</a>');
      expect(html).toContain('Hello');
      expect(display?.summary).not.toMatch(/[<>]/);
    }
  });

  it('costs no extra query to serve stored display content (the list query alone)', async () => {
    const empty = await seed(t, owner, 0);
    const emptyList = await r.list(empty.ws.id);
    expect(emptyList.body.items).toEqual([]);
    const { ws } = await seed(t, owner, 17);
    const first = await r.list(ws.id);
    expect(first.body.displayCache.transformed).toBe(17);
    const cached = await r.list(ws.id);
    expect(cached.body.displayCache.cached).toBe(17);
    // The first read of a workspace checks membership (1) and lists (1); after that the
    // membership check is served from the workspace cache.
    expect(dbQueries(emptyList)).toBe(2);
    const emptyAgain = await r.list(empty.ws.id);
    expect(dbQueries(emptyAgain)).toBe(1);
    expect(dbQueries(cached)).toBe(dbQueries(emptyAgain));
    // each transformation costs its own round trips (claim, quota check, store, usage)
    expect(dbQueries(first)).toBeGreaterThan(2 + 17);
    measurements.push(
      `X-DB-Queries: empty list ${dbQueries(emptyList)}, first list of 17 ${dbQueries(first)}, ` +
        `cached list of 17 ${dbQueries(cached)}`,
    );
  });
});

describe('display content under a short deadline (AI_TIMEOUT_MS=1000)', () => {
  let fake: FakeOpenAi;
  let t: TestApp;
  let owner: TestUser;
  let r: ReturnType<typeof reader>;

  beforeAll(async () => {
    fake = await startFakeOpenAi();
    t = await startTestApp({ env: aiEnv(fake, { AI_TIMEOUT_MS: '1000' }) });
    owner = await factory(t.api).user();
    r = reader(t.api, owner);
  });
  beforeEach(() => fake.reset());
  afterAll(async () => {
    await t?.close();
    await fake?.close();
  });

  it('answers within the deadline with a hung item pending, and retries it on the next read', async () => {
    const { ws, items } = await seed(t, owner, 3);
    const hung = items[1];
    fake.enqueueFor(hung.title, { hang: true });
    const { value: list, ms } = await timed(() => r.list(ws.id));
    expect(list.status, list.text).toBe(200);
    expect(ms).toBeLessThan(1_000 + 1_000);
    expect(statusById(list)).toEqual({
      [items[0].id]: 'ready',
      [hung.id]: 'pending',
      [items[2].id]: 'ready',
    });
    expect(list.body.items.find((d) => d.id === hung.id)).toMatchObject({
      content: hung.content,
      displayContent: null,
    });
    expect(list.body.displayCache).toEqual({
      cached: 0,
      transformed: 2,
      pending: 1,
      aiCallsSaved: 0,
    });
    measurements.push(
      `a provider that hangs, AI_TIMEOUT_MS=1000: list answered in ${ms.toFixed(0)} ms`,
    );

    // The transformer gives up on the hung call, stores nothing and drops its claim.
    await fake.waitForIdle(3_000);
    expect(fake.calls.find((c) => c.title === hung.title)?.abandoned).toBe(true);
    await waitUntil(async () => (await aiUsage(t.db, ws.id)).today === 3);
    await waitUntil(
      async () => (await displayRow(t.db, hung.id)).display_claim_expires_at === null,
    );
    await sleep(50);
    expect((await displayRow(t.db, hung.id)).display_content).toBeNull();

    const next = await r.get(hung.id);
    expect(fake.callsFor(hung.title)).toBe(2);
    expect(next.body).toMatchObject({
      displayStatus: 'ready',
      displayContent: expectedDisplay(hung),
    });
  });

  it('transforms the new content on the first read after an edit made during a transformation', async () => {
    // Regression guard: the transformation of the old content can't store (content_hash
    // changed); it must release its row claim, or reads of the new content would wait
    // AI_TIMEOUT_MS for a claim nobody holds and be served pending.
    const { items } = await seed(t, owner, 1);
    const [d] = items;
    fake.enqueueFor(d.title, { delayMs: 400 });
    const reading = r.get(d.id);
    await waitUntil(() => fake.callsFor(d.title) === 1);
    const newContent = markdownFor(d.title, '\n\n## Edited\n\nWhile it was being transformed.');
    const patched = await r.patch(d.id, { content: newContent });
    expect(patched.status, patched.text).toBe(200);
    const old = await reading;
    expect(old.body.displayStatus).toBe('ready'); // what it read, transformed
    const afterStale = await displayRow(t.db, d.id);
    expect(afterStale.display_content).toBeNull(); // made from the old content: not stored

    const { value: next, ms } = await timed(() => r.get(d.id));
    const row = await displayRow(t.db, d.id);
    expect({
      claimLeftByStaleResult: afterStale.display_claim_expires_at !== null,
      nextRead: next.body.displayStatus,
      nextReadFast: ms < 1_000,
      calls: fake.callsFor(d.title),
      stored: row.display_content_hash === row.content_hash,
    }).toEqual({
      claimLeftByStaleResult: false,
      nextRead: 'ready',
      nextReadFast: true,
      calls: 2,
      stored: true,
    });
    expect(next.body.displayContent).toEqual(
      expectedDisplay({ title: d.title, content: newContent }),
    );
  });
});

describe('display content accounting: ai_usage and /api/performance/cache-stats', () => {
  let fake: FakeOpenAi;
  let t: TestApp;
  let owner: TestUser;
  let r: ReturnType<typeof reader>;

  beforeAll(async () => {
    fake = await startFakeOpenAi();
    t = await startTestApp({ env: aiEnv(fake) });
    owner = await factory(t.api).user();
    r = reader(t.api, owner);
  });
  afterAll(async () => {
    await t?.close();
    await fake?.close();
  });

  it('counts every provider call, every saved call, every failure, and the money saved', async () => {
    const zero = await r.stats();
    expect(zero).toEqual({
      provider: 'openai',
      model: MODEL,
      transformVersion: versionFor(MODEL),
      aiCalls: 0,
      aiCallsSaved: 0,
      transformations: 0,
      failures: 0,
      quotaBlocked: 0,
      estimatedCostSavedUsd: 0,
      queue: null,
    } satisfies DisplayContentStats);

    // ws1: three transformed, then served from storage three times and once more
    const one = await seed(t, owner, 3);
    expect((await r.list(one.ws.id)).body.displayCache.transformed).toBe(3);
    expect((await r.list(one.ws.id)).body.displayCache.aiCallsSaved).toBe(3);
    expect((await r.get(one.items[0].id)).body.displayStatus).toBe('ready');

    // ws2: a retry that succeeds (2 calls), a 400 (1 call), a bad reply (1 call)
    const two = await seed(t, owner, 3);
    const [retried, refused, garbled] = two.items;
    fake.enqueueFor(retried.title, { status: 500 });
    fake.enqueueFor(refused.title, { status: 400 });
    fake.enqueueFor(garbled.title, { body: 'not json' });
    const statuses = [];
    for (const d of two.items) statuses.push((await r.get(d.id)).body.displayStatus);
    expect(statuses).toEqual(['ready', 'pending', 'pending']);

    expect(fake.calls).toHaveLength(7);
    expect(await r.stats()).toEqual({
      provider: 'openai',
      model: MODEL,
      transformVersion: versionFor(MODEL),
      aiCalls: 7,
      aiCallsSaved: 4,
      transformations: 4,
      failures: 2,
      quotaBlocked: 0,
      estimatedCostSavedUsd: 4 * COST_PER_CALL_USD,
      queue: null,
    } satisfies DisplayContentStats);
    expect(await aiUsage(t.db, one.ws.id)).toEqual({ today: 3, rows: 1 });
    expect(await aiUsage(t.db, two.ws.id)).toEqual({ today: 4, rows: 1 });
  });
});

describe.each(['none', 'batching'])('the baseline (OPTIMIZATIONS=%s: no display-cache)', (opt) => {
  let fake: FakeOpenAi;
  let t: TestApp;
  let owner: TestUser;
  let r: ReturnType<typeof reader>;

  beforeAll(async () => {
    fake = await startFakeOpenAi();
    t = await startTestApp({ env: aiEnv(fake, { OPTIMIZATIONS: opt }) });
    owner = await factory(t.api).user();
    r = reader(t.api, owner);
  });
  afterAll(async () => {
    await t?.close();
    await fake?.close();
  });

  it('transforms every deliverable on every read, one after another, and stores nothing', async () => {
    const { ws, items } = await seed(t, owner, 17);
    fake.delayMs = 20;
    const first = await timed(() => r.list(ws.id));
    expect(fake.calls).toHaveLength(17);
    expect(fake.maxInFlight).toBe(1);
    expect(first.value.body.displayCache).toEqual({
      cached: 0,
      transformed: 17,
      pending: 0,
      aiCallsSaved: 0,
    });
    for (const item of first.value.body.items) {
      expect(item.displayStatus).toBe('ready');
      expect(item.displayContent).toEqual(expectedDisplay(item));
    }
    expect(await storedCount(t.db, ws.id)).toBe(0);

    const second = await r.list(ws.id);
    expect(fake.calls).toHaveLength(34);
    expect(fake.maxInFlight).toBe(1);
    expect(second.body.displayCache).toEqual({
      cached: 0,
      transformed: 17,
      pending: 0,
      aiCallsSaved: 0,
    });
    expect(second.body.items).toEqual(first.value.body.items);

    const got = await r.get(items[0].id);
    expect(got.body.displayStatus).toBe('ready');
    expect(fake.calls).toHaveLength(35);
    expect(await storedCount(t.db, ws.id)).toBe(0);
    expect(await aiUsage(t.db, ws.id)).toEqual({ today: 35, rows: 1 });
    expect(await r.stats()).toMatchObject({ aiCalls: 35, aiCallsSaved: 0, transformations: 35 });
    measurements.push(
      `baseline OPTIMIZATIONS=${opt}, 20 ms per call: list of 17 ${first.ms.toFixed(0)} ms (sequential)`,
    );
  });
});

describe('display content across API instances on one database', () => {
  let fake: FakeOpenAi;
  let t: TestApp;
  let other: Instance;
  let owner: TestUser;
  let a: ReturnType<typeof reader>;
  let b: ReturnType<typeof reader>;

  beforeAll(async () => {
    fake = await startFakeOpenAi();
    t = await startTestApp({ env: aiEnv(fake) });
    other = await startOnSameDatabase(t, aiEnv(fake, { AI_API_KEY: 'key-b' }));
    owner = await factory(t.api).user();
    a = reader(t.api, owner);
    b = reader(other.api, owner);
  });
  beforeEach(() => fake.reset());
  afterAll(async () => {
    await other?.close();
    await t?.close();
    await fake?.close();
  });

  it('makes one provider call when two instances read the same stale deliverable at once', async () => {
    const { items } = await seed(t, owner, 1);
    const [d] = items;
    fake.delayMs = 300;
    const [onA, onB] = await Promise.all([a.get(d.id), b.get(d.id)]);
    // Regression guard: the row claim must hold across instances (TypeORM answers a raw
    // UPDATE with [rows, count]); each instance's API key shows which one called.
    expect(fake.calls.map((c) => c.authorization)).toHaveLength(1);
    expect([onA.body.displayStatus, onB.body.displayStatus]).toEqual(['ready', 'ready']);
    expect(onA.body.displayContent).toEqual(expectedDisplay(d));
    expect(onB.body.displayContent).toEqual(expectedDisplay(d));
  });

  it('makes one call per deliverable when two instances list the same stale page at once', async () => {
    const { ws, items } = await seed(t, owner, 17);
    fake.delayMs = 100;
    const [onA, onB] = await Promise.all([a.list(ws.id), b.list(ws.id)]);
    expect(fake.calls.map((c) => c.title).sort()).toEqual(items.map((d) => d.title).sort());
    for (const res of [onA, onB]) {
      expect(res.body.items.map((d) => d.displayStatus)).toEqual(Array(17).fill('ready'));
    }
    expect(await aiUsage(t.db, ws.id)).toEqual({ today: 17, rows: 1 });
  });

  it('re-transforms everything for an instance with another model, then serves it stored', async () => {
    const { ws, items } = await seed(t, owner, 17);
    await a.list(ws.id);
    expect(fake.calls).toHaveLength(17);
    fake.reset();
    const otherModel = await startOnSameDatabase(t, aiEnv(fake, { AI_MODEL: 'other-model' }));
    try {
      const c = reader(otherModel.api, owner);
      const first = await c.list(ws.id);
      expect(fake.calls).toHaveLength(17);
      expect(new Set(fake.calls.map((call) => call.model))).toEqual(new Set(['other-model']));
      expect(first.body.displayCache).toEqual({
        cached: 0,
        transformed: 17,
        pending: 0,
        aiCallsSaved: 0,
      });
      expect(first.body.items.every((d) => d.displayStatus === 'ready')).toBe(true);
      for (const d of items) {
        expect((await displayRow(t.db, d.id)).transform_version).toBe(versionFor('other-model'));
      }
      fake.reset();
      const second = await c.list(ws.id);
      expect(fake.calls).toHaveLength(0);
      expect(second.body.displayCache).toEqual({
        cached: 17,
        transformed: 0,
        pending: 0,
        aiCallsSaved: 17,
      });
    } finally {
      await otherModel.close();
    }
  });

  it('does not transform again what another instance stored while the read waited for a slot', async () => {
    // Regression guard: an instance that loaded a deliverable while it was stale, and got a
    // pool slot only after another instance stored it, must not claim the row and call again.
    const narrow = await startOnSameDatabase(t, aiEnv(fake, { AI_CONCURRENCY: '1' }));
    try {
      const n = reader(narrow.api, owner);
      const { items } = await seed(t, owner, 2);
      const [busy, target] = items;
      fake.enqueueFor(busy.title, { delayMs: 1_000 });
      fake.enqueueFor(target.title, { delayMs: 300 });
      const busyRead = n.get(busy.id); // takes the narrow instance's only slot for 1 s
      await waitUntil(() => fake.callsFor(busy.title) === 1);
      const [onA, onNarrow] = await Promise.all([a.get(target.id), n.get(target.id)]);
      expect((await busyRead).body.displayStatus).toBe('ready');
      expect([onA.body.displayStatus, onNarrow.body.displayStatus]).toEqual(['ready', 'ready']);
      expect(onNarrow.body.displayContent).toEqual(expectedDisplay(target));
      expect(fake.callsFor(target.title)).toBe(1);
    } finally {
      await narrow.close();
    }
  });
});
