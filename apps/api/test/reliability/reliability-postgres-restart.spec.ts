import type { ErrorResponse, HealthResponse } from '@orch/contracts';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { EmbeddedPostgres } from '../../src/infra/database/embedded-postgres.js';
import { runMigrations } from '../../src/infra/database/migrate.js';
import { withDatabase } from '../support/database-url.js';
import { factory } from '../support/factories.js';
import { MixedLoad, summarise } from '../support/mixed-load.js';
import { type ApiProcess, freePort, spawnApi } from '../support/spawn-api.js';

/**
 * PostgreSQL stopped and started again under a mixed load. The server is this test's own (an
 * embedded PostgreSQL on a port and data directory of its own: the suite's shared server must
 * not go away under the other files), the API the built one in a process of its own.
 * RELIABILITY_LONG=1 holds the load and the outage longer.
 */

const LONG = process.env.RELIABILITY_LONG === '1';
const CONNECT_TIMEOUT_MS = 1_000;
const BEFORE_MS = LONG ? 10_000 : 1_500;
const OUTAGE_MS = LONG ? 10_000 : 2_000;
const AFTER_MS = LONG ? 10_000 : 1_500;
const USERS = 8;
/**
 * A request during the outage may wait for one connection attempt on top of its usual latency
 * (measured before the outage, in the same run: a shared CI box is slower some minutes than
 * others), never much longer. A hang would show as the load's 10 s request timeout.
 */
const failFastMs = (usualMaxMs: number) => CONNECT_TIMEOUT_MS + usualMaxMs + 500;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('PostgreSQL restarted during a mixed load', () => {
  let dir: string;
  let pg: EmbeddedPostgres;
  let url: string;
  let api: ApiProcess;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'orch-pg-restart-'));
    chmodSync(dir, 0o755); // as root the server runs as `postgres`: it must reach data/
    pg = new EmbeddedPostgres({
      dir: join(dir, 'data'),
      port: await freePort(),
      settings: { fsync: 'off', full_page_writes: 'off' },
    });
    const adminUrl = await pg.start();
    const admin = new Client({ connectionString: adminUrl });
    await admin.connect();
    await admin.query('CREATE DATABASE orch_restart');
    await admin.end();
    url = withDatabase(adminUrl, 'orch_restart');
    await runMigrations(url);
    api = await spawnApi({
      DATABASE_URL: url,
      JWT_SECRET: 'postgres-restart-secret-at-least-32-characters',
      DB_POOL_MAX: '5',
      DB_CONNECT_TIMEOUT_MS: String(CONNECT_TIMEOUT_MS),
      RATE_LIMIT_MULTIPLIER: '1000',
      DEMO_ACTIVITY: 'off',
      GOAL_MONITOR_ENABLED: 'false',
    });
  }, 120_000);

  afterAll(async () => {
    await api?.stop();
    await pg?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('answers 503 fast while it is down, says so on /api/health, recovers alone, loses no acknowledged write', async () => {
    const owner = await factory(api.api).user();
    const ws = await factory(api.api).workspace(owner);
    const load = new MixedLoad({
      targets: [api.url],
      token: owner.token,
      workspaceId: ws.id,
      users: USERS,
    }).start();

    await sleep(BEFORE_MS);
    const ackedBefore = load.acknowledgedIds.length;
    const stoppedAt = load.now();
    const usual = summarise(load.between(0, stoppedAt));
    const FAIL_FAST_MS = failFastMs(usual.max);
    await pg.stop();
    await sleep(OUTAGE_MS / 2);

    // Health says the database is down, promptly, in its own shape.
    const healthStarted = performance.now();
    const down = await api.api.get<HealthResponse>('/api/health');
    const healthMs = performance.now() - healthStarted;
    expect(down.status, down.text).toBe(503);
    expect(down.body).toMatchObject({ status: 'error', checks: { database: { status: 'down' } } });
    expect(healthMs).toBeLessThan(FAIL_FAST_MS);

    await sleep(OUTAGE_MS / 2);
    const restartedAt = load.now();
    await pg.start();

    // The pool reconnects by itself: same process, health back to 200.
    await vi.waitFor(async () => expect((await api.api.get('/api/health')).status).toBe(200), {
      timeout: 10_000,
      interval: 100,
    });
    const recoveredAt = load.now();
    await sleep(AFTER_MS);
    await load.stop();

    const all = summarise(load.outcomes);
    const outage = load.between(stoppedAt, restartedAt);
    const after = load.between(recoveredAt + 200);
    console.log(
      `[postgres restart] all ${JSON.stringify(all)}\n` +
        `  before ${JSON.stringify(usual)} (fail-fast budget ${Math.round(FAIL_FAST_MS)} ms)\n` +
        `  outage ${JSON.stringify(summarise(outage))}\n` +
        `  after recovery ${JSON.stringify(summarise(after))}\n` +
        `  recovered ${Math.round(recoveredAt - restartedAt)} ms after the restart; ` +
        `${load.acknowledgedIds.length} writes acknowledged`,
    );

    // Every answer is a success or a 503 in the error format: no 500, no dropped connection.
    const bad = load.outcomes.filter(
      (o) => !(o.status >= 200 && o.status < 300) && o.status !== 503,
    );
    const serverErrors = () =>
      api
        .output()
        .split('\n')
        .filter((l) => /ERROR/.test(l))
        .slice(0, 40)
        .join('\n');
    expect(bad.slice(0, 5), serverErrors()).toEqual([]);
    const unavailable = load.outcomes.filter((o) => o.status === 503);
    expect(unavailable.length).toBeGreaterThan(0);
    for (const o of unavailable) {
      expect(o.errorBody).toEqual({
        statusCode: 503,
        error: 'Service Unavailable',
        message: expect.any(String) as string,
        code: 'SERVICE_UNAVAILABLE',
      } satisfies ErrorResponse);
    }
    // Writes were refused during the outage, not queued or hung.
    expect(outage.filter((o) => o.op === 'create' && o.status === 503).length).toBeGreaterThan(0);
    // Nothing hung: not one request took much longer than a connection attempt.
    expect(all.max).toBeLessThan(FAIL_FAST_MS);
    // After recovery every request succeeds again, reads and writes.
    expect(after.length).toBeGreaterThan(USERS);
    expect(after.filter((o) => o.status !== 200 && o.status !== 201)).toEqual([]);
    expect(load.acknowledgedIds.length).toBeGreaterThan(ackedBefore);
    expect(ackedBefore).toBeGreaterThan(0);

    // Every write acknowledged with 201 is in the database.
    const client = new Client({ connectionString: url });
    await client.connect();
    try {
      const { rows } = await client.query<{ n: string }>(
        'SELECT count(*) AS n FROM agents WHERE id = ANY($1::uuid[])',
        [load.acknowledgedIds],
      );
      expect(Number(rows[0].n)).toBe(load.acknowledgedIds.length);
      expect(new Set(load.acknowledgedIds).size).toBe(load.acknowledgedIds.length);
    } finally {
      await client.end();
    }
    expect(api.output()).not.toMatch(/FATAL|Unhandled|uncaught/i);
  }, 90_000);
});
