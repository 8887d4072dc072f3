// The web tsconfig covers e2e/ with browser types only; this code runs in Node.

import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';

import type { AuthResponse } from '@orch/contracts';
import {
  type Browser,
  type BrowserContext,
  chromium,
  type Page,
  type Request,
} from 'playwright-core';

import { repoRoot } from './server';

export const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-sync',
  '--disable-quic',
];
export const DEMO = { email: 'demo@example.com', password: 'demo-password' };
const SESSION_KEY = 'orch.session';
export const SCREENSHOTS = join(repoRoot, 'tmp/screenshots');

export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `No Chromium at ${CHROMIUM}: the browser e2e tests need the Debian package.` +
        ' Install it with `apt-get install chromium` (the tests never download a browser).',
    );
  }
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
}

/** A client of the API that isn't the browser: "another client" in the tests. */
export function apiClient(baseUrl: string) {
  return async function api<T>(path: string, token?: string, init: RequestInit = {}): Promise<T> {
    const headers = new Headers(init.headers);
    headers.set('accept', 'application/json');
    if (token) headers.set('authorization', `Bearer ${token}`);
    if (init.body !== undefined) headers.set('content-type', 'application/json');
    const response = await fetch(`${baseUrl}/api${path}`, { ...init, headers });
    const text = await response.text();
    if (!response.ok) {
      throw new Error(`${init.method ?? 'GET'} /api${path} answered ${response.status}: ${text}`);
    }
    return JSON.parse(text) as T;
  };
}

export type Api = ReturnType<typeof apiClient>;

export function login(api: Api, credentials = DEMO): Promise<AuthResponse> {
  return api<AuthResponse>('/auth/login', undefined, {
    method: 'POST',
    body: JSON.stringify(credentials),
  });
}

/**
 * A context already signed in: the session the login form would store, put in place
 * before the app loads (the sign-in form itself is tested in app.e2e.ts).
 */
export async function signedInContext(
  browser: Browser,
  baseURL: string,
  auth: AuthResponse,
  viewport = { width: 1280, height: 900 },
): Promise<BrowserContext> {
  const context = await browser.newContext({ baseURL, locale: 'en-US', viewport });
  context.setDefaultTimeout(15_000);
  const session = JSON.stringify({
    accessToken: auth.accessToken,
    expiresAt: auth.expiresAt,
    user: auth.user,
  });
  await context.addInitScript(([key, value]) => window.localStorage.setItem(key, value), [
    SESSION_KEY,
    session,
  ] as const);
  return context;
}

/** The views of a workspace page that poll every 30 s, by the request each one makes. */
export const LIVE_QUERIES = {
  dashboard: /^\/api\/workspaces\/[^/]+\/dashboard$/,
  agents: /^\/api\/workspaces\/[^/]+\/agents$/,
  deliverables: /^\/api\/workspaces\/[^/]+\/deliverables$/,
  thinking: /^\/api\/workspaces\/[^/]+\/thinking$/,
  goals: /^\/api\/workspaces\/[^/]+\/goals$/,
  quotaStatus: /^\/api\/quota\/status$/,
  quotaNotifications: /^\/api\/quota\/notifications$/,
} as const;
export type LiveQuery = keyof typeof LIVE_QUERIES;

/**
 * Counts the page's API requests as Chromium sends them (no interception, so timing is
 * untouched): per live query, plus every other GET by path, and how many are in flight.
 */
export class FetchCounter {
  readonly live = Object.fromEntries(Object.keys(LIVE_QUERIES).map((k) => [k, 0])) as Record<
    LiveQuery,
    number
  >;
  readonly other = new Map<string, number>();
  private inFlight = new Set<Request>();
  private lastActivity = Date.now();

  constructor(page: Page) {
    page.on('request', (request) => {
      const url = new URL(request.url());
      if (!url.pathname.startsWith('/api/')) return;
      this.inFlight.add(request);
      this.lastActivity = Date.now();
      if (request.method() !== 'GET') return;
      const live = (Object.keys(LIVE_QUERIES) as LiveQuery[]).find((k) =>
        LIVE_QUERIES[k].test(url.pathname),
      );
      if (live) this.live[live] += 1;
      else this.other.set(url.pathname, (this.other.get(url.pathname) ?? 0) + 1);
    });
    const done = (request: Request) => {
      if (this.inFlight.delete(request)) this.lastActivity = Date.now();
    };
    page.on('requestfinished', done);
    page.on('requestfailed', done);
  }

  reset(): void {
    for (const key of Object.keys(this.live) as LiveQuery[]) this.live[key] = 0;
    this.other.clear();
  }

  snapshot(): Record<LiveQuery, number> {
    return { ...this.live };
  }

  otherCount(pattern: RegExp): number {
    let n = 0;
    for (const [path, count] of this.other) if (pattern.test(path)) n += count;
    return n;
  }

  /** Live-query fetches seen since the last reset. */
  total(): number {
    return Object.values(this.live).reduce((sum, n) => sum + n, 0);
  }

  /**
   * Resolves once the app has applied every answer: Chromium's "request finished" comes
   * before the page's code has run on the response, so ask the page's QueryClient.
   */
  async applied(page: Page, timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    const fetching = () =>
      page.evaluate(() => {
        const client = (
          window as unknown as { __TANSTACK_QUERY_CLIENT__?: { isFetching(): number } }
        ).__TANSTACK_QUERY_CLIENT__;
        return client ? client.isFetching() : -1;
      });
    while ((await fetching()) !== 0) {
      if (Date.now() > deadline) throw new Error('the page is still fetching');
      await delay(10);
    }
  }

  /** Resolves once nothing has been in flight for `quietMs` (real time). */
  async settled(quietMs = 100, timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.inFlight.size > 0 || Date.now() - this.lastActivity < quietMs) {
      if (Date.now() > deadline) throw new Error(`${this.inFlight.size} requests still in flight`);
      await delay(20);
    }
  }
}

/** Domain events the page received over its socket (socket.io EVENT packets), by name. */
export function countSocketEvents(page: Page): Map<string, number> {
  const events = new Map<string, number>();
  page.on('websocket', (socket) => {
    socket.on('framereceived', ({ payload }) => {
      const text = typeof payload === 'string' ? payload : payload.toString('utf8');
      const match = /^42(\d*)\["([^"]+)"/.exec(text);
      if (match && match[2].includes('.')) events.set(match[2], (events.get(match[2]) ?? 0) + 1);
    });
  });
  return events;
}

/**
 * Headless Chromium keeps every tab visible (bringing another tab to the front or
 * minimizing the window leaves `visibilityState` at "visible", checked), so the test
 * switches the page's visibility the way the browser reports it to the page: the
 * `visibilityState`/`hidden` the app reads and a `visibilitychange` event.
 */
export async function setPageVisibility(page: Page, visible: boolean): Promise<void> {
  await page.evaluate((isVisible) => {
    const state = isVisible ? 'visible' : 'hidden';
    Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => state });
    Object.defineProperty(document, 'hidden', { configurable: true, get: () => !isVisible });
    document.dispatchEvent(new Event('visibilitychange', { bubbles: true }));
  }, visible);
}

/** Waits until the workspace page shows every panel with its data and the socket is live. */
export async function waitForLiveWorkspace(page: Page): Promise<void> {
  await page.getByTestId('dashboard-counts').waitFor();
  await page.getByTestId('quota-status').waitFor();
  await page.locator('#goals .toolbar').waitFor();
  await page.locator('#agents .toolbar').waitFor();
  await page.locator('#deliverables .toolbar').waitFor();
  await page.locator('#thinking .toolbar').waitFor();
  await page.locator('[data-testid="live-indicator"][data-status="live"]').waitFor();
}

/** A PNG under tmp/screenshots/ (the README's images are copied from there). */
export async function screenshot(
  page: Page,
  name: string,
  { fullPage = true }: { fullPage?: boolean } = {},
): Promise<string> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const path = join(SCREENSHOTS, `${name}.png`);
  await page.screenshot({ path, fullPage });
  return path;
}
