// The web tsconfig covers e2e/ with browser types only; this code runs in Node.

import { existsSync, mkdirSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';

import {
  PAGE_LIMIT_DEFAULT,
  THINKING_PROCESSES_DEFAULT,
  THINKING_STEPS_PER_PROCESS_DEFAULT,
  type Agent,
  type AuthResponse,
  type Dashboard,
  type Deliverable,
  type Page as ListPage,
  type ThinkingProcessWithSteps,
  type User,
  type WorkspaceForUser,
} from '@orch/contracts';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import { apiClient, DEMO, launchChromium, login } from './support/browser';
import { repoRoot, startApp, type RunningApp } from './support/server';

/**
 * The built app as `npm start` runs it (embedded PostgreSQL, migrations, demo seed, API and
 * web app on one port), driven by a real Chromium. Every number and id the page shows is
 * compared with what the API answers for the same request.
 */

const SESSION_KEY = 'orch.session';
const SCREENSHOT = join(repoRoot, 'tmp/e2e-workspace.png');
const SHUTDOWN_TIMEOUT_MS = 15_000;

let app: RunningApp | undefined;
let browser: Browser | undefined;

function server(): RunningApp {
  if (!app) throw new Error('The app is not running (see the beforeAll error).');
  return app;
}

function api<T>(path: string, token?: string, init: RequestInit = {}): Promise<T> {
  return apiClient(server().url)<T>(path, token, init);
}

function apiLogin(): Promise<AuthResponse> {
  return login(apiClient(server().url));
}

/** The demo user's one workspace: on a fresh database the seed is all there is. */
async function seededWorkspace(token: string): Promise<WorkspaceForUser> {
  const workspaces = await api<ListPage<WorkspaceForUser>>('/workspaces', token);
  expect(workspaces.items).toHaveLength(1);
  return workspaces.items[0];
}

/** What the workspace page requests, with the same parameters as its data hooks. */
async function workspaceData(token: string, workspaceId: string) {
  const base = `/workspaces/${encodeURIComponent(workspaceId)}`;
  const [dashboard, agents, deliverables, thinking] = await Promise.all([
    api<Dashboard>(`${base}/dashboard`, token),
    api<ListPage<Agent>>(`${base}/agents?limit=${PAGE_LIMIT_DEFAULT}&view=full`, token),
    api<ListPage<Deliverable>>(`${base}/deliverables?limit=${PAGE_LIMIT_DEFAULT}`, token),
    api<ListPage<ThinkingProcessWithSteps>>(
      `${base}/thinking?processes=${THINKING_PROCESSES_DEFAULT}&stepsPerProcess=${THINKING_STEPS_PER_PROCESS_DEFAULT}`,
      token,
    ),
  ]);
  return { dashboard, agents, deliverables, thinking };
}

async function signIn(page: Page, password = DEMO.password): Promise<void> {
  await page.getByTestId('login-email').fill(DEMO.email);
  await page.getByTestId('login-password').fill(password);
  await page.getByTestId('login-submit').click();
}

function onPath(page: Page, pathname: string): Promise<void> {
  return page.waitForURL((url) => url.pathname === pathname);
}

function storedSession(page: Page): Promise<string | null> {
  return page.evaluate((key) => window.localStorage.getItem(key), SESSION_KEY);
}

/** Waits until the workspace page has rendered its header and all three lists. */
async function waitForWorkspacePage(page: Page): Promise<void> {
  await page.getByTestId('dashboard-counts').waitFor();
  await page.getByTestId('agent-row').first().waitFor();
  await page.getByTestId('deliverable-row').first().waitFor();
  await page.getByTestId('thinking-step').first().waitFor();
}

async function countValue(page: Page, key: string): Promise<string> {
  return (await page.getByTestId(`count-${key}`).locator('dd').innerText()).trim();
}

interface SlowLogin {
  /** Settles with the answer, or with status 0 and the error message; never rejects. */
  response: Promise<{ status: number; body: string }>;
  /** Sends the rest of the body. */
  finish(): void;
}

/** A login whose body arrives in two parts, so it stays in flight until `finish()`. */
function slowLogin(baseUrl: string): SlowLogin {
  const body = Buffer.from(JSON.stringify(DEMO));
  const half = Math.floor(body.length / 2);
  let finish = () => {};
  const response = new Promise<{ status: number; body: string }>((resolve) => {
    const req = request(
      `${baseUrl}/api/auth/login`,
      {
        method: 'POST',
        // Its own connection, closed after the answer: an idle keep-alive socket would hold the
        // server's close() open (what this checks is the request in flight).
        agent: false,
        headers: {
          connection: 'close',
          'content-type': 'application/json',
          'content-length': String(body.length),
        },
        timeout: 10_000,
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
        res.on('error', (error) => resolve({ status: 0, body: error.message }));
      },
    );
    req.on('timeout', () => req.destroy(new Error('no answer within 10 s')));
    req.on('error', (error) => resolve({ status: 0, body: error.message }));
    req.write(body.subarray(0, half));
    finish = () => req.end(body.subarray(half));
  });
  return { response, finish: () => finish() };
}

async function waitUntil(condition: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await delay(50);
  }
}

beforeAll(async () => {
  app = await startApp();
  browser = await launchChromium();
});

afterAll(async () => {
  try {
    await browser?.close();
    if (app) {
      // Graceful shutdown: a request in flight when SIGTERM arrives still gets its answer
      // (from the database), then the pool closes, the embedded PostgreSQL stops (removing
      // its postmaster.pid) and the process exits 0.
      const running = app;
      const login = slowLogin(running.url);
      await delay(300); // the server has the request's headers: it is in flight
      const exit = running.stop(SHUTDOWN_TIMEOUT_MS);
      exit.catch(() => undefined); // awaited below, after the login settles
      await waitUntil(() => running.output().includes('SIGTERM: shutting down'), 5_000);
      login.finish();
      const answer = await login.response;
      const result = await exit;
      const tail = running.output().slice(-4_000);
      expect(
        { inFlightLogin: answer.status, exitCode: result.code, signal: result.signal },
        `in-flight login answered ${answer.body.slice(0, 300)}; app output:\n${tail}`,
      ).toEqual({ inFlightLogin: 200, exitCode: 0, signal: null });
      expect(JSON.parse(answer.body)).toHaveProperty('accessToken');
      expect(tail).toMatch(/SIGTERM: shutting down[\s\S]*stopped/);
      expect(existsSync(join(running.pgDataDir, 'postmaster.pid'))).toBe(false);
    }
  } finally {
    await app?.destroy();
  }
});

describe('web app against the built server', () => {
  let context: BrowserContext;
  let page: Page;
  let pageErrors: string[];

  beforeEach(async () => {
    if (!browser) throw new Error('Chromium did not start (see the beforeAll error).');
    context = await browser.newContext({
      baseURL: server().url,
      locale: 'en-US',
      viewport: { width: 1280, height: 900 },
    });
    context.setDefaultTimeout(15_000);
    page = await context.newPage();
    pageErrors = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
  });

  afterEach(async () => {
    await context.close();
    expect(pageErrors, 'uncaught errors in the page').toEqual([]);
  });

  it('sends a visitor without a session to the sign-in page and refuses a wrong password', async () => {
    const response = await page.goto('/');
    expect(response?.status()).toBe(200);
    await onPath(page, '/login');
    await page.getByTestId('login-email').waitFor();

    await signIn(page, 'not-the-password');
    const error = page.getByTestId('login-error');
    await error.waitFor();
    expect(await error.innerText()).toContain('Wrong email or password');
    expect(new URL(page.url()).pathname).toBe('/login');
    expect(await storedSession(page)).toBeNull();
    expect(await page.getByTestId('current-user').count()).toBe(0);
  });

  it('signs in and shows the seeded workspace with the data the API returns', async () => {
    const auth = await apiLogin();
    const workspace = await seededWorkspace(auth.accessToken);
    const me = await api<User>('/auth/me', auth.accessToken);

    await page.goto('/');
    await onPath(page, '/login');
    await signIn(page);
    await onPath(page, '/workspaces');

    // The workspace list.
    const link = page.getByTestId('workspace-link');
    await link.first().waitFor();
    expect(await link.count()).toBe(1);
    expect(await link.first().innerText()).toContain(workspace.name);
    expect(await page.getByTestId('current-user').innerText()).toBe(me.name);

    await link.first().click();
    await onPath(page, `/workspaces/${workspace.id}`);
    await waitForWorkspacePage(page);
    const { dashboard, agents, deliverables, thinking } = await workspaceData(
      auth.accessToken,
      workspace.id,
    );

    // Header and counts.
    expect(await page.getByTestId('workspace-title').innerText()).toBe(dashboard.workspace.name);
    expect(dashboard.counts.agents).toBeGreaterThan(0);
    expect(await countValue(page, 'agents')).toBe(dashboard.counts.agents.toLocaleString('en-US'));
    expect(await countValue(page, 'deliverables')).toBe(
      dashboard.counts.deliverables.toLocaleString('en-US'),
    );
    expect(await countValue(page, 'thinking')).toBe(
      dashboard.counts.thinkingProcesses.toLocaleString('en-US'),
    );
    expect(await countValue(page, 'goals')).toBe(dashboard.counts.goals.toLocaleString('en-US'));

    // Agents: one row per agent of the first page, in the API's order, with its name.
    const agentRows = page.getByTestId('agent-row');
    expect(await agentRows.count()).toBe(Math.min(dashboard.counts.agents, PAGE_LIMIT_DEFAULT));
    expect(await agentRows.evaluateAll((rows) => rows.map((r) => r.dataset['agentId']))).toEqual(
      agents.items.map((agent) => agent.id),
    );
    expect(await agentRows.locator('td:first-child').allInnerTexts()).toEqual(
      agents.items.map((agent) => agent.name),
    );

    // Deliverables: the API's first page, newest first; "Load more" only when there is more.
    const deliverableRows = page.getByTestId('deliverable-row');
    expect(deliverables.items.length).toBeGreaterThan(0);
    expect(
      await deliverableRows.evaluateAll((rows) => rows.map((r) => r.dataset['deliverableId'])),
    ).toEqual(deliverables.items.map((deliverable) => deliverable.id));
    expect(await deliverableRows.locator('.item__title').allInnerTexts()).toEqual(
      deliverables.items.map((deliverable) => deliverable.title),
    );
    expect(await page.locator('#deliverables').getByTestId('load-more').count()).toBe(
      deliverables.nextCursor === null ? 0 : 1,
    );

    // Thinking: the same processes, each with as many steps as the API returned for it.
    const processes = page.getByTestId('thinking-process');
    expect(
      await processes.evaluateAll((items) => items.map((item) => item.dataset['processId'])),
    ).toEqual(thinking.items.map((process) => process.id));
    const stepsShown = await processes.evaluateAll((items) =>
      items.map((item) => item.querySelectorAll('[data-testid="thinking-step"]').length),
    );
    expect(stepsShown).toEqual(thinking.items.map((process) => process.steps.length));
    expect(stepsShown.reduce((sum, n) => sum + n, 0)).toBeGreaterThan(0);

    mkdirSync(join(repoRoot, 'tmp'), { recursive: true });
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
  });

  it('keeps the session across a reload, serves deep links, and signs out', async () => {
    const auth = await apiLogin();
    const workspace = await seededWorkspace(auth.accessToken);
    const deepLink = `/workspaces/${workspace.id}`;

    // A deep link without a session goes to sign-in, and back to the link afterwards.
    await page.goto(deepLink);
    await onPath(page, '/login');
    await signIn(page);
    await onPath(page, deepLink);
    await waitForWorkspacePage(page);

    const stored = await storedSession(page);
    expect(stored).not.toBeNull();
    const session = JSON.parse(stored ?? 'null') as { accessToken: string } | null;
    expect(session?.accessToken).toEqual(expect.any(String));
    // The stored token is one the API accepts.
    const me = await api<User>('/auth/me', session?.accessToken);
    expect(me.email).toBe(DEMO.email);

    await page.reload();
    expect(new URL(page.url()).pathname).toBe(deepLink);
    await waitForWorkspacePage(page);

    // The server answers the deep link itself with the app (SPA fallback), in a new tab too.
    const tab = await context.newPage();
    const response = await tab.goto(deepLink);
    expect(response?.status()).toBe(200);
    expect(response?.headers()['content-type']).toContain('text/html');
    await waitForWorkspacePage(tab);
    expect(await tab.getByTestId('workspace-title').innerText()).toBe(workspace.name);
    await tab.close();

    // Unknown API paths stay JSON 404s instead of falling back to the app.
    const missing = await fetch(`${server().url}/api/no-such-route`);
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-type')).toContain('application/json');

    await page.getByTestId('logout').click();
    await onPath(page, '/login');
    await page.getByTestId('login-email').waitFor();
    expect(await storedSession(page)).toBeNull();

    await page.goto(deepLink);
    await onPath(page, '/login');
  });

  it('shows live updates pushed over the WebSocket without a reload', async () => {
    const auth = await apiLogin();
    const workspace = await seededWorkspace(auth.accessToken);
    await page.goto('/');
    await onPath(page, '/login');
    await signIn(page);
    await page.getByTestId('workspace-link').first().click();
    await waitForWorkspacePage(page);
    await page.locator('[data-testid="live-indicator"][data-status="live"]').waitFor();

    // A write through the API, as an agent would make it: the page shows it well
    // before the 30 s poll could have, and without navigating.
    const title = `Pushed while watching ${Date.now()}`;
    await api(`/workspaces/${workspace.id}/deliverables`, auth.accessToken, {
      method: 'POST',
      body: JSON.stringify({ title, content: '# Pushed\n\nArrived over the socket.' }),
    });
    const started = Date.now();
    await page
      .getByTestId('deliverable-row')
      .filter({ hasText: title })
      .waitFor({ timeout: 10_000 });
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(new URL(page.url()).pathname).toBe(`/workspaces/${workspace.id}`);
  });

  it('publishes the API docs and the OpenAPI document', async () => {
    const docs = await fetch(`${server().url}/api/docs`);
    expect(docs.status).toBe(200);
    expect(docs.headers.get('content-type')).toContain('text/html');
    expect(await docs.text()).toMatch(/swagger/i);

    const openApi = await fetch(`${server().url}/api/docs/openapi.json`);
    expect(openApi.status).toBe(200);
    const document = (await openApi.json()) as { paths?: Record<string, unknown> };
    expect(Object.keys(document.paths ?? {})).toContain('/api/workspaces/{id}/dashboard');
  });
});
