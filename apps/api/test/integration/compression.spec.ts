import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { etagOf } from '../../src/infra/http/cached-body.js';
import { factory, type TestUser } from '../support/factories.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

interface Raw {
  status: number;
  headers: IncomingHttpHeaders;
  /** The bytes as they came over the wire (not decoded). */
  body: Buffer;
}

/** A GET with node:http, which (unlike fetch) leaves the body as it was sent. */
function raw(baseUrl: string, path: string, headers: Record<string, string>): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(`${baseUrl}${path}`, { headers }, (res) => {
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

const decode = (r: Raw): string => {
  const encoding = r.headers['content-encoding'];
  if (encoding === 'br') return brotliDecompressSync(r.body).toString('utf8');
  if (encoding === 'gzip') return gunzipSync(r.body).toString('utf8');
  expect(encoding).toBeUndefined();
  return r.body.toString('utf8');
};

describe('compression (the compression optimization)', () => {
  let t: TestApp;
  let owner: TestUser;
  let dashboard: string;

  beforeAll(async () => {
    t = await startTestApp();
    const f = factory(t.api);
    owner = await f.user();
    const ws = await f.workspace(owner);
    for (let i = 0; i < 6; i++) {
      await f.agent(owner, ws.id, { settings: { temperature: '0.2', style: 'x'.repeat(100) } });
    }
    dashboard = `/api/workspaces/${ws.id}/dashboard`;
  });
  afterAll(() => t?.close());

  const get = (path: string, encoding?: string) =>
    raw(t.baseUrl, path, {
      authorization: `Bearer ${owner.token}`,
      ...(encoding ? { 'accept-encoding': encoding } : {}),
    });

  it('compresses a JSON answer over 1 KB with brotli or gzip as asked, and not when not', async () => {
    const plain = await get(dashboard);
    expect(plain.status).toBe(200);
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body.length).toBeGreaterThan(1024);
    const text = plain.body.toString('utf8');

    for (const [asked, used] of [
      ['br', 'br'],
      ['gzip', 'gzip'],
      ['gzip, deflate, br', 'br'],
    ] as const) {
      const res = await get(dashboard, asked);
      expect(res.headers['content-encoding'], asked).toBe(used);
      expect(res.headers.vary, asked).toMatch(/accept-encoding/i);
      expect(res.body.length, asked).toBeLessThan(plain.body.length / 2);
      expect(Number(res.headers['content-length']), asked).toBe(res.body.length);
      expect(decode(res), asked).toBe(text);
    }
    expect((await get(dashboard, 'identity')).headers['content-encoding']).toBeUndefined();
  });

  it('never compresses a small answer', async () => {
    const me = await get('/api/auth/me', 'br, gzip');
    expect(me.status).toBe(200);
    expect(me.body.length).toBeLessThan(1024);
    expect(me.headers['content-encoding']).toBeUndefined();
  });

  it('tags a compressed cached body per encoding, and If-None-Match accepts each tag', async () => {
    const plain = await get(dashboard);
    const base = plain.headers.etag!;
    expect(base).toBe(etagOf(plain.body.toString('utf8')));
    const br = await get(dashboard, 'br');
    const gzip = await get(dashboard, 'gzip');
    expect(br.headers.etag).toBe(`${base.slice(0, -1)}.br"`);
    expect(gzip.headers.etag).toBe(`${base.slice(0, -1)}.gzip"`);

    for (const tag of [base, br.headers.etag!, gzip.headers.etag!, `W/${br.headers.etag!}`]) {
      const again = await raw(t.baseUrl, dashboard, {
        authorization: `Bearer ${owner.token}`,
        'accept-encoding': 'br',
        'if-none-match': tag,
      });
      expect(again.status, tag).toBe(304);
      expect(again.body.length, tag).toBe(0);
    }
    const stale = await raw(t.baseUrl, dashboard, {
      authorization: `Bearer ${owner.token}`,
      'accept-encoding': 'br',
      'if-none-match': '"not-the-tag.br"',
    });
    expect(stale.status).toBe(200);
    expect(decode(stale)).toBe(plain.body.toString('utf8'));
  });

  it('leaves the socket.io path alone', async () => {
    const res = await get('/socket.io/?EIO=4&transport=polling', 'br, gzip');
    expect(res.headers['content-encoding']).toBeUndefined();
  });
});

describe('compression switched off (OPTIMIZATIONS=none)', () => {
  it('sends every answer uncompressed, whatever Accept-Encoding says', async () => {
    const t = await startTestApp({ env: { OPTIMIZATIONS: 'none' } });
    try {
      const f = factory(t.api);
      const owner = await f.user();
      const spec = await raw(t.baseUrl, '/api/docs/openapi.json', {
        authorization: `Bearer ${owner.token}`,
        'accept-encoding': 'br, gzip',
      });
      expect(spec.status).toBe(200);
      expect(spec.body.length).toBeGreaterThan(1024);
      expect(spec.headers['content-encoding']).toBeUndefined();
      const listed = await t.api.get<{ optimizations: { name: string; enabled: boolean }[] }>(
        '/api/performance/optimizations',
        { token: owner.token },
      );
      expect(listed.body.optimizations).toContainEqual(
        expect.objectContaining({ name: 'compression', enabled: false }),
      );
    } finally {
      await t.close();
    }
  });
});
