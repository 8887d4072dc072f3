import type {
  CacheStatsResponse,
  DeliverableListResponse,
  DisplayedDeliverable,
  DisplayQueueStats,
  Workspace,
} from '@orch/contracts';
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createApp } from '../../src/bootstrap.js';
import { AppConfig } from '../../src/infra/config/app-config.js';
import { ApiClient } from '../support/api-client.js';
import {
  aiUsage,
  dbQueries,
  displayRow,
  expectedDisplay,
  sleep,
  timed,
  waitUntil,
} from '../support/display.js';
import { factory, type SqlRunner, type TestUser } from '../support/factories.js';
import { type FakeOpenAi, startFakeOpenAi } from '../support/fake-openai.js';
import { closeAll, connectClient, type RealtimeClient } from '../support/socket-client.js';
import { operatorToken } from '../support/operator.js';
import { type ApiProcess, spawnApi } from '../support/spawn-api.js';
import { startTestApp, TEST_JWT_SECRET, type TestApp } from '../support/test-app.js';

/**
 * The display queue (display-queue on, the default): reads answer from what is
 * stored and never wait for the provider; writes enqueue; workers drain the
 * queue once across instances and push each result as deliverable.updated.
 * The provider is a real local HTTP server that counts calls (fake-openai.ts).
 */

const aiEnv = (fake: FakeOpenAi, env: Record<string, string> = {}): Record<string, string> => ({
  AI_PROVIDER: 'openai',
  AI_BASE_URL: fake.baseUrl,
  AI_API_KEY: 'key-a',
  AI_MODEL: 'test-model',
  AI_MAX_RETRIES: '2',
  AI_CONCURRENCY: '4',
  AI_TIMEOUT_MS: '10000',
  DISPLAY_QUEUE_POLL_MS: '200',
  DISPLAY_QUEUE_RETRY_BASE_MS: '100',
  ...env,
});

let titles = 0;
const markdownFor = (title: string, extra = '') =>
  `## Findings\n\n${title} found something.\n\n- point one\n- point two${extra}`;
const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

function api(t: { api: ApiClient }, user: TestUser) {
  const token = user.token;
  return {
    list: (workspaceId: string) =>
      t.api.get<DeliverableListResponse>(`/api/workspaces/${workspaceId}/deliverables?limit=20`, {
        token,
      }),
    create: async (workspaceId: string, title = `Queued ${++titles}`) => {
      const res = await t.api.post<DisplayedDeliverable>(
        `/api/workspaces/${workspaceId}/deliverables`,
        { title, content: markdownFor(title) },
        { token },
      );
      expect(res.status, res.text).toBe(201);
      return res.body;
    },
    patch: (id: string, body: { content?: string; title?: string }) =>
      t.api.patch<DisplayedDeliverable>(`/api/deliverables/${id}`, body, { token }),
    regenerate: (id: string) =>
      t.api.post<DisplayedDeliverable>(`/api/deliverables/${id}/regenerate`, undefined, { token }),
    queue: async (): Promise<DisplayQueueStats> => {
      const res = await t.api.get<CacheStatsResponse>('/api/performance/cache-stats', {
        token: await operatorToken(t.api),
      });
      expect(res.status, res.text).toBe(200);
      expect(res.body.displayContent.queue).not.toBeNull();
      return res.body.displayContent.queue as DisplayQueueStats;
    },
  };
}

/** Rows written around the API (an import, the seed): never transformed, and no job. */
async function insertRaw(db: SqlRunner, workspaceId: string, count: number) {
  const made: { id: string; title: string; content: string }[] = [];
  for (let i = 0; i < count; i++) {
    const title = `Imported ${++titles}`;
    const content = markdownFor(title);
    const rows = await db.query<{ id: string }[]>(
      `INSERT INTO deliverables (workspace_id, title, content, content_hash)
       VALUES ($1, $2, $3, $4) RETURNING id`,
      [workspaceId, title, content, sha256(content)],
    );
    made.push({ id: rows[0].id, title, content });
  }
  return made;
}

async function jobs(db: SqlRunner, workspaceId: string) {
  return db.query<
    { deliverable_id: string; attempts: number; blocked_by: string | null; due: boolean }[]
  >(
    `SELECT deliverable_id, attempts, blocked_by, run_after <= now() AS due
       FROM display_jobs WHERE workspace_id = $1 ORDER BY enqueued_at`,
    [workspaceId],
  );
}

/** Every `deliverable.updated` with a ready display the client got, by deliverable id. */
function readyPushes(client: RealtimeClient): Map<string, DisplayedDeliverable> {
  const byId = new Map<string, DisplayedDeliverable>();
  for (const { deliverable } of client.received('deliverable.updated')) {
    if (deliverable.displayStatus === 'ready') byId.set(deliverable.id, deliverable);
  }
  return byId;
}

describe('the display queue on one instance', () => {
  let fake: FakeOpenAi;
  let t: TestApp;
  let owner: TestUser;
  let r: ReturnType<typeof api>;
  const clients: RealtimeClient[] = [];

  beforeAll(async () => {
    fake = await startFakeOpenAi();
    t = await startTestApp({ env: aiEnv(fake, { AI_TIMEOUT_MS: '1500' }) });
    owner = await factory(t.api).user();
    r = api(t, owner);
  });
  beforeEach(async () => {
    fake.reset();
    await closeAll(clients.splice(0));
  });
  afterAll(async () => {
    await closeAll(clients);
    await t?.close();
    await fake?.close();
  });

  async function workspaceWatched(): Promise<{ ws: Workspace; client: RealtimeClient }> {
    const ws = await factory(t.api).workspace(owner);
    const client = await connectClient(t.baseUrl, { token: owner.token, workspaceId: ws.id });
    clients.push(client);
    return { ws, client };
  }

  it('answers 17 never-transformed deliverables at once, all pending, then pushes each ready: 17 calls', async () => {
    const { ws, client } = await workspaceWatched();
    expect((await r.list(ws.id)).body.items).toEqual([]); // access and metadata now cached
    const rows = await insertRaw(t.db, ws.id, 17);
    fake.delayMs = 100;

    const first = await r.list(ws.id);
    expect(first.status, first.text).toBe(200);
    expect(first.body.displayCache).toEqual({
      cached: 0,
      transformed: 0,
      pending: 17,
      aiCallsSaved: 0,
    });
    for (const item of first.body.items) {
      expect(item.displayStatus).toBe('pending');
      expect(item.displayContent).toBeNull();
      // The local rendering, sanitised: safe to show meanwhile.
      expect(item.fallbackHtml).toContain('<h2>Findings</h2>');
    }

    await waitUntil(() => readyPushes(client).size === 17, 10_000);
    const pushed = readyPushes(client);
    for (const d of rows) {
      expect(pushed.get(d.id)?.displayContent, d.title).toEqual(expectedDisplay(d));
      expect(pushed.get(d.id)?.fallbackHtml).toBeNull();
      expect(fake.callsFor(d.title), d.title).toBe(1);
    }
    expect(fake.calls).toHaveLength(17);
    expect(fake.maxInFlight).toBeLessThanOrEqual(4);
    expect(await jobs(t.db, ws.id)).toEqual([]);

    // Served from storage now, with the same statements as the pending read: nothing pending
    // cost a query more.
    const second = await r.list(ws.id);
    expect(second.body.displayCache).toEqual({
      cached: 17,
      transformed: 0,
      pending: 0,
      aiCallsSaved: 17,
    });
    expect(dbQueries(second)).toBe(dbQueries(first));
    expect(second.body.items.map((d) => d.displayStatus)).toEqual(Array(17).fill('ready'));
    expect(fake.calls).toHaveLength(17);
  });

  it('the seed scenario: 17 new deliverables cost 17 calls behind the writes, a reread 0, 20 reads after an edit 1', async () => {
    const { ws, client } = await workspaceWatched();
    const made = [];
    for (let i = 0; i < 17; i++) made.push(await r.create(ws.id));
    for (const d of made) {
      expect(d.displayStatus).toBe('pending');
      expect(d.fallbackHtml).toContain('<li>point one</li>');
    }
    await waitUntil(() => readyPushes(client).size === 17, 10_000);
    expect(fake.calls).toHaveLength(17);

    const reread = await r.list(ws.id);
    expect(reread.body.displayCache).toMatchObject({ cached: 17, pending: 0 });
    expect(fake.calls).toHaveLength(17);

    const edited = made[3];
    const patched = await r.patch(edited.id, { content: markdownFor(edited.title, '\n- three') });
    expect(patched.status, patched.text).toBe(200);
    expect(patched.body.displayStatus).toBe('pending');
    const reads = await Promise.all(Array.from({ length: 20 }, () => r.list(ws.id)));
    for (const read of reads) expect(read.status).toBe(200);
    await waitUntil(() => fake.calls.length === 18 && fake.inFlight === 0, 10_000);
    await waitUntil(
      async () =>
        (await r.list(ws.id)).body.items.find((d) => d.id === edited.id)?.displayStatus === 'ready',
    );
    await sleep(400); // two poll intervals: no late call
    expect(fake.calls).toHaveLength(18);
    expect(fake.callsFor(edited.title)).toBe(2);
    expect(await aiUsage(t.db, ws.id)).toEqual({ today: 18, rows: 1 });
  });

  it('answers at its normal latency while the provider hangs', async () => {
    const { ws } = await workspaceWatched();
    const ready = await insertRaw(t.db, ws.id, 3);
    await r.list(ws.id);
    await waitUntil(async () => (await r.list(ws.id)).body.displayCache.cached === 3, 10_000);
    const normal = await timed(() => r.list(ws.id));

    fake.reset();
    fake.enqueue(...Array.from({ length: 20 }, () => ({ hang: true })));
    await insertRaw(t.db, ws.id, 6);
    const during: number[] = [];
    for (let i = 0; i < 10; i++) {
      const { value, ms } = await timed(() => r.list(ws.id));
      expect(value.status).toBe(200);
      expect(value.body.displayCache).toMatchObject({ cached: ready.length, pending: 6 });
      during.push(ms);
    }
    await waitUntil(() => fake.inFlight === 4, 5_000);
    for (let i = 0; i < 5; i++) during.push((await timed(() => r.list(ws.id))).ms);
    // Hung calls give up after AI_TIMEOUT_MS (1.5 s); no read came near it (half of it leaves
    // room for a pause of a loaded machine, and a read that waited would take all of it).
    expect(Math.max(...during)).toBeLessThan(Math.max(750, normal.ms * 10));
    const queue = await r.queue();
    expect(queue.workersBusy).toBe(4);
    expect(queue.running).toBeGreaterThanOrEqual(4);
    await t.db.query('DELETE FROM display_jobs WHERE workspace_id = $1', [ws.id]);
    // The hung calls answered and the workers free before the next test counts its calls.
    fake.reset();
    await waitUntil(async () => (await r.queue()).workersBusy === 0, 10_000);
    await fake.waitForIdle();
  });

  it('regenerate answers 202 with what is stored, then pushes the new result: one call', async () => {
    const { ws, client } = await workspaceWatched();
    const d = await r.create(ws.id);
    await waitUntil(() => readyPushes(client).has(d.id), 10_000);
    const calls = fake.callsFor(d.title);
    client.events.length = 0;

    const res = await r.regenerate(d.id);
    expect(res.status, res.text).toBe(202);
    expect(res.body.displayStatus).toBe('ready');
    await waitUntil(() => readyPushes(client).has(d.id), 10_000);
    expect(fake.callsFor(d.title)).toBe(calls + 1);
    expect(await jobs(t.db, ws.id)).toEqual([]);
  });

  it('retries a failed attempt after a backoff, and serves ready once it succeeds', async () => {
    const { ws, client } = await workspaceWatched();
    const title = `Flaky ${++titles}`;
    // Attempt 1: three 500s (AI_MAX_RETRIES=2) fail it; attempt 2 succeeds.
    fake.enqueueFor(title, { status: 500 }, { status: 500 }, { status: 500 });
    const d = await r.create(ws.id, title);
    await waitUntil(() => readyPushes(client).has(d.id), 10_000);
    expect(fake.callsFor(title)).toBe(4);
    expect(readyPushes(client).get(d.id)?.displayContent).toEqual(expectedDisplay(d));
    expect(await jobs(t.db, ws.id)).toEqual([]);
  });

  it('stores nothing for a refused call, and stops after DISPLAY_QUEUE_MAX_ATTEMPTS until the next edit', async () => {
    const { ws } = await workspaceWatched();
    const title = `Refused ${++titles}`;
    // A 400 is not retried within an attempt: one call per attempt, five attempts.
    fake.enqueueFor(title, ...Array.from({ length: 5 }, () => ({ status: 400 })));
    const d = await r.create(ws.id, title);
    await waitUntil(async () => (await jobs(t.db, ws.id))[0]?.blocked_by === 'failed', 15_000);
    expect(fake.callsFor(title)).toBe(5);
    expect(await jobs(t.db, ws.id)).toEqual([
      { deliverable_id: d.id, attempts: 5, blocked_by: 'failed', due: false },
    ]);
    expect((await displayRow(t.db, d.id)).display_content).toBeNull();
    expect((await r.queue()).failing).toBeGreaterThanOrEqual(1);
    // Reads do not revive it...
    await r.list(ws.id);
    await sleep(300);
    expect(fake.callsFor(title)).toBe(5);
    // ...an edit does.
    const content = markdownFor(title, '\n- fixed');
    expect((await r.patch(d.id, { content })).status).toBe(200);
    await waitUntil(async () => (await jobs(t.db, ws.id)).length === 0, 10_000);
    expect((await displayRow(t.db, d.id)).display_content).toEqual(
      expectedDisplay({ title, content }),
    );
  });

  it('finishes a job queued for content that changed around the API since: one call, then idle', async () => {
    const { ws } = await workspaceWatched();
    const [d] = await insertRaw(t.db, ws.id, 1);
    // Queued for content the row no longer has (an import rewrote it, no API write followed).
    await t.db.query(
      `INSERT INTO display_jobs (deliverable_id, workspace_id, content_hash) VALUES ($1, $2, $3)`,
      [d.id, ws.id, sha256('the content before the import')],
    );
    await waitUntil(async () => (await jobs(t.db, ws.id)).length === 0, 5_000);
    expect((await displayRow(t.db, d.id)).display_content).toEqual(expectedDisplay(d));
    await sleep(400); // two poll intervals: the job is gone, nothing leases it again
    expect(fake.callsFor(d.title)).toBe(1);
    expect(await jobs(t.db, ws.id)).toEqual([]);
  });

  it('transforms the new content when an edit lands during a transformation; the stale result is not stored', async () => {
    const { ws, client } = await workspaceWatched();
    const title = `Edited ${++titles}`;
    fake.enqueueFor(title, { delayMs: 600 });
    const d = await r.create(ws.id, title);
    await waitUntil(() => fake.callsFor(title) === 1);
    const content = markdownFor(title, '\n- newer');
    expect((await r.patch(d.id, { content })).status).toBe(200);
    await waitUntil(() => readyPushes(client).get(d.id)?.contentHash === sha256(content), 10_000);
    const row = await displayRow(t.db, d.id);
    expect(row.display_content_hash).toBe(sha256(content));
    expect(row.display_content).toEqual(expectedDisplay({ title, content }));
    await waitUntil(async () => (await jobs(t.db, ws.id)).length === 0);
    // The old content's call and the new one's; no push ever carried the stale result.
    expect(fake.callsFor(title)).toBe(2);
    expect(
      client
        .received('deliverable.updated')
        .filter(({ deliverable }) => deliverable.displayStatus === 'ready')
        .map(({ deliverable }) => deliverable.contentHash),
    ).toEqual([sha256(content)]);
  });
});

describe('the display queue at the daily AI quota', () => {
  const QUOTA = 3;
  let fake: FakeOpenAi;
  let t: TestApp;
  let owner: TestUser;
  let r: ReturnType<typeof api>;

  beforeAll(async () => {
    fake = await startFakeOpenAi();
    t = await startTestApp({ env: aiEnv(fake, { AI_DAILY_QUOTA: String(QUOTA) }) });
    owner = await factory(t.api).user();
    r = api(t, owner);
  });
  afterAll(async () => {
    await t?.close();
    await fake?.close();
  });

  it('makes QUOTA calls, parks the rest until the next UTC day, and a pending list costs no more queries', async () => {
    const f = factory(t.api);
    // The yardstick: a workspace with QUOTA deliverables, all displayed.
    const full = await f.workspace(owner);
    for (let i = 0; i < QUOTA; i++) await r.create(full.id);
    await waitUntil(async () => (await r.list(full.id)).body.displayCache.cached === QUOTA, 10_000);
    const settled = dbQueries(await r.list(full.id));

    const ws = await f.workspace(owner);
    for (let i = 0; i < QUOTA + 2; i++) await r.create(ws.id);
    await waitUntil(
      async () => (await jobs(t.db, ws.id)).filter((j) => j.blocked_by === 'quota').length === 2,
      10_000,
    );
    const callsAtLimit = fake.calls.length;
    expect(callsAtLimit).toBe(2 * QUOTA);
    const parked = await jobs(t.db, ws.id);
    expect(parked.map((j) => [j.blocked_by, j.due, j.attempts])).toEqual([
      ['quota', false, 0],
      ['quota', false, 0],
    ]);
    expect((await r.queue()).quotaBlocked).toBe(2);

    for (let i = 0; i < 5; i++) {
      const list = await r.list(ws.id);
      expect(list.body.displayCache).toMatchObject({ cached: QUOTA, pending: 2 });
      expect(dbQueries(list)).toBe(settled);
    }
    await sleep(500);
    expect(fake.calls).toHaveLength(callsAtLimit);
    expect(await jobs(t.db, ws.id)).toEqual(parked);
    expect(await aiUsage(t.db, ws.id)).toEqual({ today: QUOTA, rows: 1 });
  });

  it('leaves a job that stopped after its attempts stopped when the workspace reaches the quota', async () => {
    const ws = await factory(t.api).workspace(owner);
    const [stopped] = await insertRaw(t.db, ws.id, 1);
    await t.db.query(
      `INSERT INTO display_jobs (deliverable_id, workspace_id, content_hash, attempts, run_after, blocked_by)
       VALUES ($1, $2, $3, 5, 'infinity', 'failed')`,
      [stopped.id, ws.id, sha256(stopped.content)],
    );
    for (let i = 0; i < QUOTA + 1; i++) await r.create(ws.id);
    await waitUntil(
      async () => (await jobs(t.db, ws.id)).some((j) => j.blocked_by === 'quota'),
      10_000,
    );
    const left = await t.db.query<{ deliverable_id: string; blocked_by: string; never: boolean }[]>(
      `SELECT deliverable_id, blocked_by, run_after = 'infinity' AS never
         FROM display_jobs WHERE workspace_id = $1 AND deliverable_id = $2`,
      [ws.id, stopped.id],
    );
    expect(left).toEqual([{ deliverable_id: stopped.id, blocked_by: 'failed', never: true }]);
  });
});

describe('the display queue across API instances', () => {
  let fake: FakeOpenAi;
  let t: TestApp;
  let owner: TestUser;
  let r: ReturnType<typeof api>;

  beforeAll(async () => {
    fake = await startFakeOpenAi();
    // Polling seldom: the other instances' own writes wake them first.
    t = await startTestApp({ env: aiEnv(fake, { DISPLAY_QUEUE_POLL_MS: '2000' }) });
    owner = await factory(t.api).user();
    r = api(t, owner);
  });
  beforeEach(() => fake.reset());
  afterAll(async () => {
    await t?.close();
    await fake?.close();
  });

  it('runs every job once when two instances drain one queue', async () => {
    const config = AppConfig.from({
      NODE_ENV: 'test',
      LOG_LEVEL: 'error',
      JWT_SECRET: TEST_JWT_SECRET,
      DEMO_SEED: 'false',
      WEB_DIST_DIR: '/nonexistent',
      DB_POOL_MAX: '5',
      RATE_LIMIT_MULTIPLIER: '1000',
      GOAL_MONITOR_ENABLED: 'false',
      ...aiEnv(fake, { AI_API_KEY: 'key-b' }),
    });
    const second = await createApp(config, t.database.url);
    await second.listen(0, '127.0.0.1');
    try {
      const address = second.getHttpServer().address();
      if (!address || typeof address === 'string') throw new Error('no port');
      const b = api({ api: new ApiClient(`http://127.0.0.1:${address.port}`) }, owner);
      const ws = await factory(t.api).workspace(owner);
      fake.delayMs = 50;
      await insertRaw(t.db, ws.id, 24);
      // Both instances read the page and discover the same 20 pending deliverables...
      const [viaA, viaB] = await Promise.all([r.list(ws.id), b.list(ws.id)]);
      // (the page the reads served: rows inserted within one millisecond tie on
      // created_at and are ordered by id, so insertion order does not say which 20)
      const shown = viaA.body.items;
      expect(shown).toHaveLength(20);
      expect(viaB.body.items.map((d) => d.id)).toEqual(shown.map((d) => d.id));
      // A read hands its discoveries to the loop and answers at once: the jobs
      // reach the table after the response, so wait for the work, not for an
      // empty queue (empty, too, before the loop has stored anything).
      await waitUntil(
        async () =>
          shown.every((d) => fake.callsFor(d.title) >= 1) &&
          fake.inFlight === 0 &&
          (await jobs(t.db, ws.id)).length === 0,
        15_000,
      );
      // Long enough for a duplicate lease to reach the provider (50 ms per call).
      await sleep(300);
      for (const d of shown) expect(fake.callsFor(d.title), d.title).toBe(1);
      expect(fake.calls).toHaveLength(shown.length);
      // ...and both worked on it.
      const keys = new Set(fake.calls.map((c) => c.authorization));
      expect(keys).toEqual(new Set(['Bearer key-a', 'Bearer key-b']));
    } finally {
      await second.close();
    }
  });

  it('finishes the jobs of an instance killed mid-job (SIGKILL) once their lease runs out', async () => {
    const ws = await factory(t.api).workspace(owner);
    let killed: ApiProcess | undefined;
    try {
      killed = await spawnApi({
        DATABASE_URL: t.database.url,
        JWT_SECRET: TEST_JWT_SECRET,
        GOAL_MONITOR_ENABLED: 'false',
        RATE_LIMIT_MULTIPLIER: '1000',
        // A lease of AI_TIMEOUT_MS + 5 s.
        ...aiEnv(fake, { AI_API_KEY: 'key-killed', AI_TIMEOUT_MS: '1000' }),
      });
      fake.delayMs = 800;
      const viaKilled = api(killed, owner);
      const made = [];
      for (let i = 0; i < 3; i++) made.push(await viaKilled.create(ws.id));
      await waitUntil(
        () => fake.calls.filter((c) => c.authorization === 'Bearer key-killed').length >= 1,
      );
      process.kill(killed.pid, 'SIGKILL');
      await killed.stop(5_000);
      killed = undefined;

      // The survivor takes them over when the leases end (about 6 s).
      const started = performance.now();
      await waitUntil(async () => (await jobs(t.db, ws.id)).length === 0, 25_000).catch(
        async (error: unknown) => {
          const left = await t.db.query('SELECT * FROM display_jobs WHERE workspace_id = $1', [
            ws.id,
          ]);
          throw new Error(
            `${String(error)}: ${JSON.stringify(left)}; calls ${JSON.stringify(fake.calls.map((c) => [c.authorization, c.status]))}`,
          );
        },
      );
      for (const d of made) {
        expect((await displayRow(t.db, d.id)).display_content).toEqual(expectedDisplay(d));
      }
      const byA = fake.calls.filter((c) => c.authorization === 'Bearer key-a' && c.status === 200);
      expect(byA.length).toBeGreaterThanOrEqual(1);
      expect(performance.now() - started).toBeLessThan(20_000);
    } finally {
      await killed?.stop(2_000);
    }
  }, 60_000);

  it('hands a running job back on a graceful shutdown, for another instance at once', async () => {
    const config = AppConfig.from({
      NODE_ENV: 'test',
      LOG_LEVEL: 'error',
      JWT_SECRET: TEST_JWT_SECRET,
      DEMO_SEED: 'false',
      WEB_DIST_DIR: '/nonexistent',
      DB_POOL_MAX: '5',
      GOAL_MONITOR_ENABLED: 'false',
      ...aiEnv(fake, { AI_API_KEY: 'key-closing', DISPLAY_QUEUE_POLL_MS: '60000' }),
    });
    const closing = await createApp(config, t.database.url);
    await closing.listen(0, '127.0.0.1');
    const address = closing.getHttpServer().address();
    if (!address || typeof address === 'string') throw new Error('no port');
    const viaClosing = api({ api: new ApiClient(`http://127.0.0.1:${address.port}`) }, owner);
    const ws = await factory(t.api).workspace(owner);
    const title = `Handed back ${++titles}`;
    fake.enqueueFor(title, { hang: true });
    const d = await viaClosing.create(ws.id, title);
    await waitUntil(() => fake.inFlight === 1);
    expect(fake.calls.map((c) => c.authorization)).toEqual(['Bearer key-closing']);
    await closing.close();
    // Released, not counted as an attempt: due at once for the remaining instance.
    await waitUntil(async () => (await jobs(t.db, ws.id)).length === 0, 5_000);
    expect((await displayRow(t.db, d.id)).display_content).toEqual(expectedDisplay(d));
    expect(fake.callsFor(title)).toBe(2);
  });
});
