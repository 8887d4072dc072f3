import type { DisplayedDeliverable } from '@orch/contracts';
import { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { factory, type TestUser } from '../support/factories.js';
import { lockTables, waitFor } from '../support/locks.js';
import { MixedLoad, summarise } from '../support/mixed-load.js';
import { closeAll, RealtimeClient } from '../support/socket-client.js';
import { type ApiProcess, spawnApi } from '../support/spawn-api.js';

/**
 * SIGTERM to one of two built API processes under a mixed load and with websocket clients:
 * the requests it has accepted finish (some are held on a table lock, so they are provably in
 * flight when the signal arrives: deliverable creations, which the load itself never makes, so
 * the only INSERTs into deliverables waiting on the lock are theirs), its sockets are told and closed, it
 * exits 0, and the other
 * instance takes the load and the clients. RELIABILITY_LONG=1 runs the load longer.
 */

const LONG = process.env.RELIABILITY_LONG === '1';
const JWT_SECRET = 'graceful-shutdown-secret-at-least-32-characters';
const USERS = 8;
const SOCKETS = 6;
const HELD = 4;
const BEFORE_MS = LONG ? 10_000 : 1_000;
const AFTER_MS = LONG ? 10_000 : 1_000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('graceful shutdown under load (SIGTERM)', () => {
  let database: TestDatabase;
  let a: ApiProcess;
  let b: ApiProcess;
  let owner: TestUser;
  const clients: RealtimeClient[] = [];

  beforeAll(async () => {
    database = await createTestDatabase();
    const env = {
      DATABASE_URL: database.url,
      JWT_SECRET,
      // Room for every load user's request blocked on the lock (a cache-miss dashboard read)
      // and the held creations: a held creation waiting for a pool connection instead of the
      // lock would not be counted as held.
      DB_POOL_MAX: '16',
      RATE_LIMIT_MULTIPLIER: '1000',
      DEMO_ACTIVITY: 'off',
      GOAL_MONITOR_ENABLED: 'false',
      SHUTDOWN_TIMEOUT_MS: '15000',
      WS_MAX_PER_WORKSPACE: '50',
    };
    [a, b] = await Promise.all([spawnApi(env), spawnApi(env)]);
    owner = await factory(a.api).user();
  }, 90_000);

  afterAll(async () => {
    await closeAll(clients);
    await Promise.all([a?.stop(), b?.stop()]);
    await database?.drop();
  });

  it('finishes every request in flight, hands its sockets over, and exits 0; the other instance carries on', async () => {
    const ws = await factory(a.api).workspace(owner);
    const connect = async (url: string) => {
      const client = new RealtimeClient(url, { token: owner.token, workspaceId: ws.id });
      clients.push(client);
      return client.open();
    };
    const onA = await Promise.all(Array.from({ length: SOCKETS }, () => connect(a.url)));
    const load = new MixedLoad({
      targets: [a.url, b.url],
      token: owner.token,
      workspaceId: ws.id,
      users: USERS,
    }).start();
    await sleep(BEFORE_MS);

    // Requests A has accepted and cannot finish yet: deliverable creations waiting on a lock.
    // The load's dashboard reads may wait on it too; only the held requests insert.
    const lock = await lockTables(database.url, 'deliverables');
    let held: Promise<{ status: number; body: DisplayedDeliverable }>[];
    try {
      held = Array.from({ length: HELD }, (_, i) =>
        a.api.post<DisplayedDeliverable>(
          `/api/workspaces/${ws.id}/deliverables`,
          { title: `Held ${i}`, content: `# Held ${i}\n\nIn flight at SIGTERM.` },
          { token: owner.token },
        ),
      );
      await waitFor(
        'the held creations to wait on the lock',
        async () => (await lock.waiting({ only: '^\\s*INSERT INTO "deliverables"' })) === HELD,
      );
      const signalled = performance.now();
      process.kill(a.pid, 'SIGTERM');
      await a.waitForOutput(/SIGTERM: shutting down/);
      // The sockets are told and closed at once; the held requests keep A running.
      for (const client of onA) {
        expect(await client.waitFor('server_shutdown')).toEqual({
          retryAfterMs: expect.any(Number) as number,
        });
        expect(await client.waitForDisconnect()).toBe('io server disconnect');
      }
      await sleep(500);
      expect(a.output()).not.toMatch(/\bstopped\b/);
      expect(performance.now() - signalled).toBeLessThan(5_000);
    } finally {
      await lock.release();
    }
    const answers = await Promise.all(held);
    expect(answers.map((r) => r.status)).toEqual(Array.from({ length: HELD }, () => 201));

    const exit = await a.stop(15_000); // already stopping: waits for the exit
    expect(exit).toEqual({ code: 0, signal: null });
    expect(a.output()).toMatch(/\bstopped\b/);
    const stoppedAt = load.now();

    // The clients reconnect to B, which pushes to them.
    const onB = await Promise.all(onA.map(() => connect(b.url)));
    const agent = await factory(b.api).agent(owner, ws.id);
    for (const client of onB) {
      await client.waitFor('agent.updated', { where: (p) => p.agent.id === agent.id });
    }
    await sleep(AFTER_MS);
    await load.stop();

    const all = summarise(load.outcomes);
    const afterStop = load.between(stoppedAt);
    console.log(
      `[graceful shutdown] ${JSON.stringify(all)}; after A stopped ${JSON.stringify(summarise(afterStop))}; ` +
        `${load.acknowledgedIds.length + HELD} writes acknowledged, ${load.unacknowledgedNames.length} not; ` +
        `network errors: ${JSON.stringify(load.outcomes.filter((o) => o.status === 0).map((o) => o.error))}`,
    );
    // Every request was answered, or failed at the connection before A read it: refused
    // (A no longer listens), or a keep-alive socket A closed as idle just as the client reused
    // it (HTTP/1.1's race, RFC 9112 9.3.1; a balancer retries those, the user's next request
    // went to B). Nothing else: no 5xx but a closing instance's 503, no timeout, no 4xx.
    const networkErrors = load.outcomes.filter((o) => o.status === 0);
    expect(
      networkErrors.filter((o) => !/ECONNREFUSED|other side closed|ECONNRESET/.test(o.error ?? '')),
    ).toEqual([]);
    expect(load.outcomes.filter((o) => o.status >= 400 && o.status !== 503)).toEqual([]);
    // B took the load after A was gone. A user whose last answer came from A (a dashboard read
    // that waited on the deliverables lock beside the held creations, answered just before A
    // exited) finds A gone on its next
    // request: refused, at most once per user, and from then on it is on B.
    const onBAfterStop = afterStop.filter((o) => o.target === b.url);
    const onAAfterStop = afterStop.filter((o) => o.target !== b.url);
    expect(onBAfterStop.length).toBeGreaterThan(USERS);
    expect(onBAfterStop.filter((o) => o.status < 200 || o.status >= 300)).toEqual([]);
    expect(
      onAAfterStop.filter((o) => !(o.status === 0 && /ECONNREFUSED/.test(o.error ?? ''))),
    ).toEqual([]);
    expect(onAAfterStop.length).toBeLessThanOrEqual(USERS);

    // Every acknowledged write is in the database, the held ones included.
    const ids = load.acknowledgedIds;
    const heldIds = answers.map((r) => r.body.id);
    const pg = new Client({ connectionString: database.url });
    await pg.connect();
    try {
      const { rows } = await pg.query<{ n: string }>(
        'SELECT count(*) AS n FROM agents WHERE id = ANY($1::uuid[])',
        [ids],
      );
      expect(Number(rows[0].n)).toBe(ids.length);
      const heldRows = await pg.query<{ n: string }>(
        'SELECT count(*) AS n FROM deliverables WHERE id = ANY($1::uuid[])',
        [heldIds],
      );
      expect(Number(heldRows.rows[0].n)).toBe(HELD);
      // ...and no creation that failed was applied: A cut none it had started.
      const applied = await pg.query<{ name: string }>(
        'SELECT name FROM agents WHERE workspace_id = $1 AND name = ANY($2::text[])',
        [ws.id, load.unacknowledgedNames],
      );
      expect(applied.rows).toEqual([]);
    } finally {
      await pg.end();
    }
  }, 60_000);
});
