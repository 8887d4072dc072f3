// The web tsconfig covers e2e/ with browser types only; this code runs in Node.

import { setTimeout as delay } from 'node:timers/promises';

import type { AuthResponse, Page as ListPage, Workspace, WorkspaceForUser } from '@orch/contracts';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

import {
  apiClient,
  countSocketEvents,
  FetchCounter,
  LIVE_QUERIES,
  launchChromium,
  login,
  screenshot,
  setPageVisibility,
  signedInContext,
  waitForLiveWorkspace,
  type Api,
  type LiveQuery,
} from './support/browser';
import { startApp, type RunningApp } from './support/server';

/**
 * The request budget of a live workspace page, in a real Chromium against the built app:
 * pushes are applied to the cache, so activity costs no refetches, and the 30 s polls are
 * all that runs on a quiet page (none on a hidden one). Figures are printed for the docs.
 */

const POLL_MS = 30_000;
const HOUR_STEPS = 120; // 120 x 30 s
const LIVE = Object.keys(LIVE_QUERIES) as LiveQuery[];

let app: RunningApp | undefined;
let browser: Browser | undefined;
let api: Api;
let demo: AuthResponse;

beforeAll(async () => {
  app = await startApp({
    // The seeded demo workspace gets an event every 2 s or so.
    DEMO_ACTIVITY: 'on',
    DEMO_ACTIVITY_MS: '2000',
    // A simulated hour sends an hour of polls within a minute or two of real time.
    RATE_LIMIT_MULTIPLIER: '50',
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

function running(): { app: RunningApp; browser: Browser } {
  if (!app || !browser) throw new Error('The app or Chromium did not start (see beforeAll).');
  return { app, browser };
}

describe('request budget of a live workspace page', () => {
  let context: BrowserContext | undefined;
  let pageErrors: string[] = [];

  afterEach(async () => {
    await context?.close();
    context = undefined;
    expect(pageErrors, 'uncaught errors in the page').toEqual([]);
    pageErrors = [];
  });

  async function open(
    auth: AuthResponse,
    workspaceId: string,
    install?: (page: Page) => Promise<void>,
  ) {
    const { app: server, browser: chromium } = running();
    context = await signedInContext(chromium, server.url, auth, { width: 1366, height: 900 });
    const page = await context.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
    const counter = new FetchCounter(page);
    const events = countSocketEvents(page);
    await install?.(page);
    await page.goto(`/workspaces/${workspaceId}`);
    await waitForLiveWorkspace(page);
    await counter.settled();
    return { page, counter, events };
  }

  it('with the demo activity on for 60 s, fetches no live query more than 3 times', async () => {
    const workspaces = await api<ListPage<WorkspaceForUser>>('/workspaces', demo.accessToken);
    const workspace = workspaces.items[0];
    const started = Date.now();
    const { page, counter, events } = await open(demo, workspace.id);

    // Count from the first render (its fetches included) for 60 s of real activity.
    await delay(Math.max(0, 60_000 - (Date.now() - started)));
    await counter.settled();
    const fetched = counter.snapshot();
    const received = [...events.values()].reduce((sum, n) => sum + n, 0);
    const processLookups = counter.otherCount(/^\/api\/thinking\/[^/]+$/);
    console.log(
      `[budget] demo activity 60 s: ${received} events ${JSON.stringify(Object.fromEntries(events))}; ` +
        `fetches per live query ${JSON.stringify(fetched)}; new-process lookups ${processLookups}`,
    );

    expect(received, 'the demo activity pushed events').toBeGreaterThanOrEqual(10);
    for (const query of LIVE) {
      // The first load and the polls at ~30 s (and ~60 s): pushes added none.
      expect(fetched[query], query).toBeGreaterThanOrEqual(2);
      expect(fetched[query], query).toBeLessThanOrEqual(3);
    }
    // A step of a process the list doesn't have costs one small lookup per new process.
    expect(processLookups).toBeLessThanOrEqual(events.get('thinking.step') ?? 0);

    // The page shows what was pushed: the newest step the server has is on screen.
    const thinking = await api<ListPage<{ id: string; steps: { id: string }[] }>>(
      `/workspaces/${workspace.id}/thinking?processes=10&stepsPerProcess=20`,
      demo.accessToken,
    );
    const shown = await page
      .getByTestId('thinking-step')
      .evaluateAll((steps) => steps.map((step) => step.dataset['stepId']));
    const latest = thinking.items.flatMap((p) => p.steps.map((s) => s.id));
    expect(latest.filter((id) => shown.includes(id)).length).toBeGreaterThan(0);

    // The top of the page (the full one is several screens of lists).
    await page.setViewportSize({ width: 1366, height: 1500 });
    await screenshot(page, 'dashboard', { fullPage: false });
    await page.getByTestId('tab-performance').click();
    await page.getByTestId('perf-cache-chart').waitFor();
    await page.getByTestId('perf-ws-connections').waitFor();
    await screenshot(page, 'performance');
  }, 120_000);

  it('with the page clock stepped 30 s at a time for an hour: at most 121 fetches per live query visible, none hidden', async () => {
    // A quiet workspace of its own user: nothing happens in it but the polls.
    const email = `quiet-${Date.now()}@example.com`;
    await api('/auth/register', undefined, {
      method: 'POST',
      body: JSON.stringify({ email, password: 'quiet-password-1', name: 'Quiet' }),
    });
    const auth = await login(api, { email, password: 'quiet-password-1' });
    const workspace = await api<Workspace>('/workspaces', auth.accessToken, {
      method: 'POST',
      body: JSON.stringify({ name: 'Quiet hour' }),
    });
    const { page, counter } = await open(auth, workspace.id, (p) => p.clock.install());

    // From here on the page's time moves only when the test moves it.
    const now = await page.evaluate(() => Date.now());
    await page.clock.pauseAt(now + 1_000);
    await counter.settled();
    await counter.applied(page);
    const first = counter.snapshot();
    expect(first, 'the first load fetches each live query once').toEqual(
      Object.fromEntries(LIVE.map((k) => [k, 1])),
    );

    // Each step fires the polls that are due; the next step starts once the page has
    // applied every answer, so each step starts from the same state.
    for (let step = 1; step <= HOUR_STEPS; step += 1) {
      await page.clock.runFor(POLL_MS);
      await counter.settled(50);
      await counter.applied(page);
    }
    const visible = counter.snapshot();
    console.log(`[budget] visible hour (first load included): ${JSON.stringify(visible)}`);
    for (const query of LIVE) {
      expect(visible[query], query).toBeLessThanOrEqual(1 + HOUR_STEPS);
      // Polling went on all hour. (A poll the page re-arms at the very instant it is due,
      // when a render lands there, moves 1 s later, into the next step: so "about 120".)
      expect(visible[query], query).toBeGreaterThanOrEqual(HOUR_STEPS - 10);
    }

    // Hidden for an hour: not one request.
    await setPageVisibility(page, false);
    counter.reset();
    for (let step = 0; step < HOUR_STEPS; step += 1) {
      await page.clock.runFor(POLL_MS);
      await counter.settled(20);
    }
    const hidden = counter.snapshot();
    console.log(`[budget] hidden hour: ${JSON.stringify(hidden)}`);
    expect(hidden).toEqual(Object.fromEntries(LIVE.map((k) => [k, 0])));

    // Back on screen: each view catches up once, at once.
    await setPageVisibility(page, true);
    await page.clock.runFor(100);
    await counter.settled();
    expect(counter.snapshot()).toEqual(Object.fromEntries(LIVE.map((k) => [k, 1])));
  }, 300_000);
});
