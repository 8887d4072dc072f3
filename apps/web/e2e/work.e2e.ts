// The web tsconfig covers e2e/ with browser types only; this code runs in Node.

import type {
  Agent,
  AuthResponse,
  DeliverableListResponse,
  Page as ListPage,
  Workspace,
  WorkspaceForUser,
} from '@orch/contracts';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

import {
  apiClient,
  FetchCounter,
  launchChromium,
  login,
  screenshot,
  signedInContext,
  waitForLiveWorkspace,
  type Api,
} from './support/browser';
import { startApp, type RunningApp } from './support/server';

/**
 * Working in the dashboard through the UI against the built app and a real database:
 * what the forms create is in the database, and a write by another client shows up
 * without a reload and without refetching the list.
 */

let app: RunningApp | undefined;
let browser: Browser | undefined;
let api: Api;
let demo: AuthResponse;

beforeAll(async () => {
  app = await startApp({
    // A rejected connection is told to come back after the heartbeat interval: 2 s here.
    WS_HEARTBEAT_MS: '2000',
    RATE_LIMIT_MULTIPLIER: '10',
  });
  browser = await launchChromium();
  api = apiClient(app.url);
  demo = await login(api);
});

afterAll(async () => {
  await browser?.close();
  if (app) {
    await app.stop(15_000).catch(() => undefined);
    await app.destroy();
  }
});

describe('working in the web app', () => {
  let context: BrowserContext | undefined;
  let pageErrors: string[] = [];

  async function newContext(): Promise<BrowserContext> {
    if (!app || !browser) throw new Error('The app or Chromium did not start (see beforeAll).');
    context = await signedInContext(browser, app.url, demo);
    return context;
  }

  async function newPage(ctx: BrowserContext): Promise<Page> {
    const page = await ctx.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
    return page;
  }

  afterEach(async () => {
    await context?.close();
    context = undefined;
    expect(pageErrors, 'uncaught errors in the page').toEqual([]);
    pageErrors = [];
  });

  it('creates a workspace, an agent and a deliverable through the UI and shows them', async () => {
    const page = await newPage(await newContext());
    await page.goto('/workspaces');
    await page.getByTestId('workspace-new').click();
    // Checked before sending: an empty name is refused in the page.
    await page.getByTestId('workspace-submit').click();
    await page.getByText('Name is required').waitFor();

    const name = `Launch team ${Date.now()}`;
    await page.getByTestId('workspace-name').fill(name);
    await page.getByTestId('workspace-submit').click();
    await page.waitForURL(/\/workspaces\/[0-9a-f-]{36}$/);
    const workspaceId = new URL(page.url()).pathname.split('/').pop() ?? '';
    await waitForLiveWorkspace(page);
    expect(await page.getByTestId('workspace-title').innerText()).toBe(name);
    const mine = await api<ListPage<WorkspaceForUser>>('/workspaces', demo.accessToken);
    expect(mine.items.find((w) => w.id === workspaceId)).toMatchObject({ name, role: 'owner' });

    // An agent, with a setting.
    await page.getByTestId('agent-new').click();
    await page.getByTestId('agent-name').fill('Quill');
    await page.getByTestId('agent-role').fill('writer');
    await page.getByRole('button', { name: 'Add setting' }).click();
    await page.getByLabel('Key 1').fill('tone');
    await page.getByLabel('Value 1').fill('plain');
    await screenshot(page, 'agent-form');
    await page.getByTestId('agent-submit').click();
    const row = page.getByTestId('agent-row').filter({ hasText: 'Quill' });
    await row.waitFor();
    const agents = await api<ListPage<Agent>>(
      `/workspaces/${workspaceId}/agents`,
      demo.accessToken,
    );
    expect(agents.items.map((a) => [a.name, a.role, a.settings])).toEqual([
      ['Quill', 'writer', { tone: 'plain' }],
    ]);
    expect(await page.getByTestId('count-agents').locator('dd').innerText()).toBe('1');

    // Its status, changed in place; terminated is final.
    const busy = page.waitForResponse(
      (r) => r.request().method() === 'PATCH' && r.url().includes('/api/agents/'),
    );
    await row.getByTestId('agent-status-select').selectOption('busy');
    await page.locator('[data-testid="agent-row"][data-status="busy"]').waitFor();
    expect((await busy).status()).toBe(200);
    await row.getByTestId('agent-status-select').selectOption('terminated');
    // Optimistic: shown at once; the check below waits for the server's answer.
    const answered = page.waitForResponse(
      (r) => r.request().method() === 'PATCH' && r.url().includes('/api/agents/'),
    );
    await row.getByTestId('agent-terminate-confirm').click();
    await row.getByTestId('agent-status-final').waitFor();
    expect((await answered).status()).toBe(200);
    expect((await api<Agent>(`/agents/${agents.items[0].id}`, demo.accessToken)).status).toBe(
      'terminated',
    );

    // A deliverable in markdown, then its display content regenerated.
    await page.getByTestId('deliverable-new').click();
    await page.getByTestId('deliverable-title').fill('Launch notes');
    await page.getByTestId('deliverable-content').fill('# Launch\n\n- pricing page live');
    await page.getByTestId('deliverable-submit').click();
    const item = page.getByTestId('deliverable-row').filter({ hasText: 'Launch notes' });
    await item.waitFor();
    await item.getByTestId('deliverable-regenerate').click();
    await item.getByTestId('deliverable-display').waitFor();
    expect(await item.locator('.item__html h1').innerText()).toBe('Launch');
    const stored = await api<DeliverableListResponse>(
      `/workspaces/${workspaceId}/deliverables`,
      demo.accessToken,
    );
    expect(stored.items.map((d) => d.title)).toEqual(['Launch notes']);
    expect(await page.getByTestId('count-deliverables').locator('dd').innerText()).toBe('1');
  });

  it('shows a write made through the API by another client within 2 s, without refetching the list', async () => {
    const workspaces = await api<ListPage<WorkspaceForUser>>('/workspaces', demo.accessToken);
    const seeded = workspaces.items[workspaces.items.length - 1];
    const page = await newPage(await newContext());
    const counter = new FetchCounter(page);
    await page.goto(`/workspaces/${seeded.id}`);
    await waitForLiveWorkspace(page);
    await counter.settled();
    // Right after the first load: the next poll is ~30 s away, so any list fetch from here
    // would be caused by the push.
    const before = counter.snapshot();

    const title = `Written elsewhere ${Date.now()}`;
    const started = Date.now();
    await api(`/workspaces/${seeded.id}/deliverables`, demo.accessToken, {
      method: 'POST',
      body: JSON.stringify({ title, content: '# Elsewhere\n\nArrived over the socket.' }),
    });
    await page
      .getByTestId('deliverable-row')
      .filter({ hasText: title })
      .waitFor({ timeout: 2_000 });
    const elapsed = Date.now() - started;
    await counter.settled();
    expect(elapsed).toBeLessThan(2_000);
    expect(counter.snapshot()).toEqual(before);
    // The dashboard's count followed from the same push.
    const counts = await page.getByTestId('count-deliverables').locator('dd').innerText();
    expect(Number(counts.replace(/,/g, ''))).toBeGreaterThan(0);
    console.log(`[live] API write on screen after ${elapsed} ms; list fetches before/after equal`);
  });

  it('shows the rejection on a 4th tab of one workspace, and connects when a slot frees', async () => {
    const workspace = await api<Workspace>('/workspaces', demo.accessToken, {
      method: 'POST',
      body: JSON.stringify({ name: `Four tabs ${Date.now()}` }),
    });
    const ctx = await newContext();
    const tabs: Page[] = [];
    for (let n = 0; n < 3; n += 1) {
      const tab = await newPage(ctx);
      await tab.goto(`/workspaces/${workspace.id}`);
      await tab.locator('[data-testid="live-indicator"][data-status="live"]').waitFor();
      tabs.push(tab);
    }
    const fourth = await newPage(ctx);
    await fourth.goto(`/workspaces/${workspace.id}`);
    const rejected = fourth.locator(
      '[data-testid="live-indicator"][data-status="rejected"][data-reason="workspace_limit"]',
    );
    await rejected.waitFor();
    expect(await fourth.getByTestId('live-detail').innerText()).toContain(
      '3 tabs already follow this workspace',
    );
    // The page still works meanwhile: its views were loaded by request.
    await fourth.getByTestId('dashboard-counts').waitFor();

    // It comes back by itself after retryAfterMs (2 s, jittered) once a tab is closed.
    await tabs[0].close();
    await fourth
      .locator('[data-testid="live-indicator"][data-status="live"]')
      .waitFor({ timeout: 15_000 });
  });

  it('shows the performance view with the figures the API serves', async () => {
    const page = await newPage(await newContext());
    await page.goto('/performance');
    await page.getByTestId('perf-optimizations').waitFor();
    await page.getByTestId('perf-cache-chart').waitFor();
    const optimizations = await api<{ optimizations: { name: string; enabled: boolean }[] }>(
      '/performance/optimizations',
      demo.accessToken,
    );
    const shown = await page
      .locator('.optimizations__item')
      .evaluateAll((items) => items.map((i) => [i.dataset['name'], i.dataset['enabled']]));
    expect(shown).toEqual(optimizations.optimizations.map((o) => [o.name, String(o.enabled)]));
    // Every figure is served now: nothing says "not served".
    await page.getByTestId('perf-routes-chart').waitFor();
    await page.getByTestId('perf-429').waitFor();
    expect(await page.getByTestId('not-served').count()).toBe(0);
    // Phone width: one column, nothing wider than the screen.
    await page.setViewportSize({ width: 390, height: 844 });
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    expect(overflow).toBeLessThanOrEqual(0);
  });
});
