import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { factory, type TestUser } from '../support/factories.js';
import { createTestDatabase } from '../support/database.js';
import { spawnApi } from '../support/spawn-api.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

interface LogLine {
  level: number;
  msg: string;
  requestId: string;
  method: string;
  route: string;
  status: number;
  ms: number;
  dbQueries: number;
}

/** A pino destination that keeps every JSON line. */
function lineCollector() {
  const lines: LogLine[] = [];
  return {
    lines,
    stream: { write: (chunk: string) => void lines.push(JSON.parse(chunk) as LogLine) },
  };
}

describe('request ids and the request log', () => {
  let t: TestApp;
  let owner: TestUser;
  const log = lineCollector();

  beforeAll(async () => {
    t = await startTestApp({ env: { LOG_LEVEL: 'log' }, logStream: log.stream });
    owner = await factory(t.api).user();
  });
  afterAll(() => t?.close());

  /** The request line with this id (written once the response has gone out). */
  const lineOf = async (id: string): Promise<LogLine> => {
    await expect
      .poll(() => log.lines.some((l) => l.requestId === id && l.msg === 'request'))
      .toBe(true);
    const lines = log.lines.filter((l) => l.requestId === id && l.msg === 'request');
    expect(lines).toHaveLength(1);
    return lines[0]!;
  };

  it('gives every response an X-Request-Id, and logs one JSON line with the same id', async () => {
    const ws = await factory(t.api).workspace(owner);
    const cases = [
      {
        path: `/api/workspaces/${ws.id}`,
        token: owner.token,
        route: '/api/workspaces/:id',
        status: 200,
      },
      { path: '/api/auth/me', token: undefined, route: '/api/auth/me', status: 401 },
      { path: '/api/no-such-route', token: undefined, route: '(unmatched)', status: 404 },
    ];
    for (const c of cases) {
      const res = await t.api.get(c.path, { token: c.token });
      expect(res.status, c.path).toBe(c.status);
      const id = res.headers.get('x-request-id');
      expect(id, c.path).toMatch(UUID);
      const line = await lineOf(id!);
      expect(line, c.path).toMatchObject({
        level: 30,
        method: 'GET',
        route: c.route,
        status: c.status,
        dbQueries: Number(res.headers.get('x-db-queries')),
      });
      expect(line.ms).toBeGreaterThan(0);
    }
  });

  it('keeps a well-formed X-Request-Id from the caller and replaces a malformed one', async () => {
    const kept = await t.api.get('/api/auth/me', {
      token: owner.token,
      headers: { 'x-request-id': 'trace-abc.123' },
    });
    expect(kept.headers.get('x-request-id')).toBe('trace-abc.123');
    expect((await lineOf('trace-abc.123')).status).toBe(200);

    for (const bad of ['has space', 'x'.repeat(129), 'quote"d']) {
      const res = await t.api.get('/api/auth/me', {
        token: owner.token,
        headers: { 'x-request-id': bad },
      });
      expect(res.headers.get('x-request-id'), bad).toMatch(UUID);
    }
  });
});

describe('request ids behind a proxy (TRUST_PROXY set)', () => {
  it('ignores an X-Request-Id that does not come from a listed proxy', async () => {
    const t = await startTestApp({ env: { TRUST_PROXY: '10.9.9.9' } });
    try {
      const res = await t.api.get('/api/health', { headers: { 'x-request-id': 'spoofed-id' } });
      expect(res.headers.get('x-request-id')).toMatch(UUID);
    } finally {
      await t.close();
    }
    const trusting = await startTestApp({ env: { TRUST_PROXY: '127.0.0.1' } });
    try {
      const res = await trusting.api.get('/api/health', {
        headers: { 'x-request-id': 'from-the-proxy' },
      });
      expect(res.headers.get('x-request-id')).toBe('from-the-proxy');
    } finally {
      await trusting.close();
    }
  });
});

describe('the request log of the built API (production: stdout, written in 4 KB batches)', () => {
  it('writes a quiet instance’s request line within about a second, not when 4 KB have gathered', async () => {
    const database = await createTestDatabase();
    const api = await spawnApi({
      DATABASE_URL: database.url,
      JWT_SECRET: 'request-log-secret-at-least-32-characters!',
      DEMO_ACTIVITY: 'off',
      GOAL_MONITOR_ENABLED: 'false',
      LOG_REQUESTS: 'true',
    });
    try {
      const res = await api.api.get('/api/health', { headers: { 'x-request-id': 'quiet-one' } });
      expect(res.status).toBe(200);
      const started = performance.now();
      // One line of ~300 bytes: far from the 4 KB that would write it without the flush.
      while (
        !api.output().includes('"requestId":"quiet-one"') &&
        performance.now() - started < 5_000
      ) {
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      expect(api.output()).toContain('"requestId":"quiet-one"');
      expect(performance.now() - started).toBeLessThan(2_500);
    } finally {
      await api.stop();
      await database.drop();
    }
  });
});
