import type { Agent, Dashboard, Page, Workspace } from '@orch/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { etagOf } from '../../src/infra/http/cached-body.js';
import { addMember, factory, type TestUser } from '../support/factories.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/**
 * Cached reads answer with the bytes they stored and a strong ETag; a request
 * naming the current tag gets 304 with no body and no database round trip, and
 * a write anywhere makes the old tag stale at once.
 */
describe('cached reads: stored bytes, strong ETags, 304', () => {
  let t: TestApp;
  let owner: TestUser;
  let member: TestUser;
  let stranger: TestUser;
  let ws: Workspace;
  let agent: Agent;
  const dbQueries = (res: { headers: Headers }) => Number(res.headers.get('x-db-queries'));

  beforeAll(async () => {
    t = await startTestApp();
    const f = factory(t.api);
    [owner, stranger] = [await f.user(), await f.user()];
    ws = await f.workspace(owner, 'Tagged');
    agent = await f.agent(owner, ws.id, { name: 'First' });
    member = await addMember(t.api, owner, ws.id);
  });
  afterAll(() => t?.close());

  const reads = () => [
    `/api/workspaces/${ws.id}`,
    `/api/workspaces/${ws.id}/dashboard`,
    `/api/workspaces/${ws.id}/agents`,
    `/api/workspaces/${ws.id}/agents?view=lite&limit=5`,
  ];

  it('tags each cached read with the hash of its exact bytes, and answers 304 to that tag with no body and no query', async () => {
    for (const path of reads()) {
      const first = await t.api.get(path, { token: owner.token });
      expect(first.status, path).toBe(200);
      const etag = first.headers.get('etag');
      expect(etag, path).toBe(etagOf(first.text));
      expect(first.headers.get('cache-control')).toBe('private, no-cache');
      expect(first.headers.get('content-type')).toBe('application/json; charset=utf-8');

      for (const ifNoneMatch of [etag!, `W/${etag!}`, `"other", ${etag!}`, '*']) {
        const again = await t.api.get(path, {
          token: owner.token,
          headers: { 'if-none-match': ifNoneMatch },
        });
        expect(again.status, `${path} ${ifNoneMatch}`).toBe(304);
        expect(again.text).toBe('');
        expect(again.headers.get('etag')).toBe(etag);
        expect(again.headers.get('content-length')).toBeNull();
        expect(dbQueries(again), path).toBe(0);
      }
      const other = await t.api.get(path, {
        token: owner.token,
        headers: { 'if-none-match': '"not-this-one"' },
      });
      expect(other.status).toBe(200);
      expect(other.text).toBe(first.text);
    }
  });

  it('after a write the old tag gets 200 with the new body and a new tag', async () => {
    const path = `/api/workspaces/${ws.id}/dashboard`;
    const before = await t.api.get<Dashboard>(path, { token: owner.token });
    const oldTag = before.headers.get('etag')!;
    const renamed = await t.api.patch<Agent>(
      `/api/agents/${agent.id}`,
      { name: 'Renamed' },
      { token: owner.token },
    );
    expect(renamed.status).toBe(200);
    const after = await t.api.get<Dashboard>(path, {
      token: owner.token,
      headers: { 'if-none-match': oldTag },
    });
    expect(after.status).toBe(200);
    expect(after.body.agents.map((a) => a.name)).toEqual(['Renamed']);
    expect(after.headers.get('etag')).not.toBe(oldTag);
    expect(after.headers.get('etag')).toBe(etagOf(after.text));
    const agents = await t.api.get<Page<Agent>>(`/api/workspaces/${ws.id}/agents`, {
      token: owner.token,
      headers: { 'if-none-match': oldTag },
    });
    expect(agents.status).toBe(200);
    expect(agents.body.items[0]?.name).toBe('Renamed');
  });

  it('shares a tag only between users who get the same bytes, and never answers a non-member', async () => {
    for (const path of reads()) {
      const mine = await t.api.get(path, { token: owner.token });
      const theirs = await t.api.get(path, { token: member.token });
      // These reads hold nothing about the caller: the same bytes, so the same tag.
      expect(theirs.text, path).toBe(mine.text);
      expect(theirs.headers.get('etag')).toBe(mine.headers.get('etag'));
      // A stranger holding the tag learns nothing: the access check comes first.
      const probe = await t.api.get(path, {
        token: stranger.token,
        headers: { 'if-none-match': mine.headers.get('etag')! },
      });
      expect(probe.status, path).toBe(404);
    }
    // The one read that differs by user (each caller's role) is not a shared entry, nor tagged.
    const list = await t.api.get(`/api/workspaces`, { token: member.token });
    expect(list.status).toBe(200);
    expect(list.headers.get('etag')).toBeNull();
    expect(list.text).toContain('"role":"member"');
  });

  it('sends no tag, and so never a 304, with the caches switched off (the baseline)', async () => {
    const baseline = await startTestApp({ env: { OPTIMIZATIONS: 'batching,display-cache' } });
    try {
      const f = factory(baseline.api);
      const user = await f.user();
      const w = await f.workspace(user);
      const path = `/api/workspaces/${w.id}`;
      const first = await baseline.api.get(path, { token: user.token });
      expect(first.status).toBe(200);
      expect(first.headers.get('etag')).toBeNull();
      const again = await baseline.api.get(path, {
        token: user.token,
        headers: { 'if-none-match': etagOf(first.text) },
      });
      expect(again.status).toBe(200);
      expect(again.text).toBe(first.text);
      expect(dbQueries(again)).toBe(2);
    } finally {
      await baseline.close();
    }
  });
});
