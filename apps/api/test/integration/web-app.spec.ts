import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/test-app.js';

const HTML = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';
const INDEX = '<!doctype html><title>web</title><div id="root"></div>';

/** What the API's port answers outside the API, with a web build to serve. */
describe('non-API paths', () => {
  let t: TestApp;
  let dir: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'orch-web-'));
    mkdirSync(join(dir, 'assets'));
    writeFileSync(join(dir, 'index.html'), INDEX);
    writeFileSync(join(dir, 'assets', 'app-abc123.js'), 'console.log(1);');
    t = await startTestApp({ env: { WEB_DIST_DIR: dir } });
  });
  afterAll(async () => {
    await t?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const notFound = (path: string) => ({
    statusCode: 404,
    error: 'Not Found',
    message: `Cannot GET ${path}`,
    code: 'NOT_FOUND',
  });

  it('serves index.html for a page navigation of the client-side router', async () => {
    for (const path of ['/', '/workspaces/abc/agents', '/performance?tab=cache']) {
      const res = await t.api.get(path, { headers: { accept: HTML } });
      expect(res.status, path).toBe(200);
      expect(res.headers.get('content-type'), path).toMatch(/^text\/html/);
      expect(res.text, path).toBe(INDEX);
    }
  });

  it('serves an asset that exists, and 404s one that does not', async () => {
    const asset = await t.api.get('/assets/app-abc123.js');
    expect(asset.status).toBe(200);
    expect(asset.headers.get('cache-control')).toContain('immutable');
    for (const path of ['/assets/gone-123.js', '/favicon.png', '/robots.txt']) {
      const res = await t.api.get(path, { headers: { accept: HTML } });
      expect(res.status, path).toBe(404);
      expect(res.body, path).toEqual(notFound(path));
    }
  });

  it('answers unknown /api and non-HTML requests with a JSON 404', async () => {
    for (const [path, accept] of [
      ['/api/no-such-route', HTML],
      ['/api', HTML],
      ['/workspaces/abc', 'application/json'],
      ['/workspaces/abc', undefined],
    ] as const) {
      const res = await t.api.get(path, { headers: accept ? { accept } : {} });
      expect(res.status, `${path} ${accept}`).toBe(404);
      expect(res.headers.get('content-type'), path).toMatch(/^application\/json/);
    }
  });

  it('leaves /socket.io to engine.io: a bad handshake is its 400, never the index page', async () => {
    const res = await t.api.get('/socket.io/nothing', { headers: { accept: HTML } });
    expect(res.status).toBe(400);
    expect(res.text).not.toContain('<!doctype html>');
  });

  it('/metrics is never the index page', async () => {
    const res = await t.api.get('/metrics', { headers: { accept: HTML } });
    expect(res.status).toBe(404);
    expect(res.body).toEqual(notFound('/metrics'));
  });
});
