import type { Agent, HealthResponse, Workspace } from '@orch/contracts';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ApiClient } from '../support/api-client.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { factory, type TestUser } from '../support/factories.js';
import { type NginxServer, startNginx } from '../support/nginx-server.js';
import { type RedisServer, startRedisServer } from '../support/redis-server.js';
import { closeAll, RealtimeClient } from '../support/socket-client.js';
import { type ApiProcess, repoRoot, spawnApi } from '../support/spawn-api.js';

/**
 * The several-instance deployment as far as this machine allows (no Docker): Debian's nginx
 * with deploy/nginx.conf in front of two built API processes sharing a database and a Redis,
 * as docker-compose.yml runs them. HTTP and the error shape through the proxy, the WebSocket
 * upgrade, compression and caching of the static files, and clients carrying on when one API
 * process is killed.
 */

const JWT_SECRET = 'deploy-nginx-secret-at-least-32-characters';

/** A raw GET that keeps the body as sent (fetch would decompress it). */
function rawGet(
  url: string,
  headers: Record<string, string>,
): Promise<{
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
      );
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

describe('nginx with deploy/nginx.conf in front of two API processes', () => {
  let redis: RedisServer;
  let database: TestDatabase;
  let a: ApiProcess;
  let b: ApiProcess;
  let nginx: NginxServer;
  let api: ApiClient;
  let owner: TestUser;
  let ws: Workspace;
  const clients: RealtimeClient[] = [];

  beforeAll(async () => {
    redis = await startRedisServer();
    database = await createTestDatabase();
    const env = {
      DATABASE_URL: database.url,
      REDIS_URL: redis.url,
      JWT_SECRET,
      RATE_LIMIT_MULTIPLIER: '1000',
      DEMO_ACTIVITY: 'off',
      GOAL_MONITOR_ENABLED: 'false',
      TRUST_PROXY: '127.0.0.1',
      WS_MAX_PER_WORKSPACE: '20',
    };
    [a, b] = await Promise.all([spawnApi(env), spawnApi(env)]);
    nginx = await startNginx([a.url, b.url]);
    api = new ApiClient(nginx.url);
    owner = await factory(api).user();
    ws = await factory(api).workspace(owner);
  }, 90_000);

  afterAll(async () => {
    await closeAll(clients);
    await nginx?.stop();
    await Promise.all([a?.stop(), b?.stop()]);
    await redis?.close();
    await database?.drop();
  });

  it('proxies the API round-robin to both processes, in the API’s own shapes', async () => {
    for (let i = 0; i < 6; i++) {
      const health = await api.get<HealthResponse>('/api/health');
      expect(health.status).toBe(200);
      expect(health.body.status).toBe('ok');
    }
    const missing = await api.get('/api/agents/not-a-uuid', { token: owner.token });
    expect(missing.status).toBe(404);
    expect(missing.body).toMatchObject({ statusCode: 404, error: 'Not Found' });
    // nginx's own answer for a path it keeps from the API, in the same shape.
    const metrics = await api.get('/metrics');
    expect(metrics.status).toBe(404);
    expect(metrics.body).toMatchObject({ statusCode: 404, error: 'Not Found' });
    // The access log names the upstream of each request: both processes answered.
    const upstreams = new Set(
      [...nginx.accessLog().matchAll(/"GET \/api\/health[^"]*" 200 .* upstream=(\S+)/g)].map(
        (m) => m[1],
      ),
    );
    expect([...upstreams].sort()).toEqual([new URL(a.url).host, new URL(b.url).host].sort());
  });

  it('serves the SPA: index for client routes, long-cached gzip assets', async () => {
    const index = await fetch(`${nginx.url}/workspaces/some-id`);
    expect(index.status).toBe(200);
    expect(index.headers.get('cache-control')).toBe('no-cache');
    expect(await index.text()).toContain('<div id="root">');

    const assets = join(repoRoot, 'dist/apps/web/assets');
    const [largest] = readdirSync(assets)
      .filter((f) => f.endsWith('.js'))
      .sort((x, y) => statSync(join(assets, y)).size - statSync(join(assets, x)).size);
    const original = readFileSync(join(assets, largest));
    const gz = await rawGet(`${nginx.url}/assets/${largest}`, { 'accept-encoding': 'gzip' });
    expect(gz.status).toBe(200);
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gz.headers.vary).toBe('Accept-Encoding');
    expect(gz.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(gz.body.length).toBeLessThan(original.length / 2);
    expect(gunzipSync(gz.body).equals(original)).toBe(true);
    const plain = await rawGet(`${nginx.url}/assets/${largest}`, {});
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body.equals(original)).toBe(true);
    expect((await fetch(`${nginx.url}/assets/missing-chunk.js`)).status).toBe(404);
  });

  it('upgrades socket.io to a WebSocket through the proxy, fan-out across both processes', async () => {
    const sockets = await Promise.all(
      [1, 2, 3, 4].map(() => {
        const c = new RealtimeClient(nginx.url, { token: owner.token, workspaceId: ws.id });
        clients.push(c);
        return c.open();
      }),
    );
    expect(sockets.map((s) => s.socket.io.engine.transport.name)).toEqual(
      sockets.map(() => 'websocket'),
    );
    const agent = await factory(api).agent(owner, ws.id);
    for (const s of sockets) {
      await s.waitFor('agent.updated', { where: (p) => p.agent.id === agent.id });
    }
  });

  it('carries on when one API process is killed: requests go to the other, sockets reconnect', async () => {
    const sockets = clients.filter((c) => c.connected);
    expect(sockets.length).toBeGreaterThan(0);
    process.kill(a.pid, 'SIGKILL');
    expect((await a.stop(5_000)).signal).toBe('SIGKILL');

    // Reads and writes through nginx: a refused connection is passed to the next upstream,
    // also for a POST (it was never sent).
    for (let i = 0; i < 10; i++) {
      const read = await api.get<Workspace>(`/api/workspaces/${ws.id}`, { token: owner.token });
      expect(read.status, read.text).toBe(200);
      const write = await api.post<Agent>(
        `/api/workspaces/${ws.id}/agents`,
        { name: `After kill ${i}`, role: 'researcher' },
        { token: owner.token },
      );
      expect(write.status, write.text).toBe(201);
    }
    // The sockets that were on A reconnect through nginx, to B, and get B's pushes.
    await vi.waitFor(() => expect(sockets.filter((s) => !s.connected).length).toBeGreaterThan(0));
    const dropped = sockets.filter((s) => !s.connected);
    // nginx logs a WebSocket when it closes: 101, from the killed process.
    expect(nginx.accessLog()).toMatch(
      new RegExp(
        `"GET /socket\\.io/\\?[^"]*transport=websocket[^"]*" 101 .*upstream=${new URL(a.url).host}`,
      ),
    );
    const again = await Promise.all(
      dropped.map(() => {
        const c = new RealtimeClient(nginx.url, { token: owner.token, workspaceId: ws.id });
        clients.push(c);
        return c.open();
      }),
    );
    const agent = await factory(api).agent(owner, ws.id);
    for (const s of [...again, ...sockets.filter((x) => x.connected)]) {
      await vi.waitFor(() => s.waitFor('agent.updated', { where: (p) => p.agent.id === agent.id }));
    }
  });
});
