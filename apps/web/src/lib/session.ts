import { useSyncExternalStore } from 'react';

import type { AuthResponse, User } from '@orch/contracts';

/** What the client keeps about the signed-in user, in localStorage. */
export interface Session {
  accessToken: string;
  /** ISO 8601; the API refuses the token after this. */
  expiresAt: string;
  user: User;
}

/** Why the last session ended, so the login page can say so. */
export type SessionEndReason = 'logout' | 'expired';

type Listener = (session: Session | null) => void;

const STORAGE_KEY = 'orch.session';
/** setTimeout's ceiling (~24.8 days); later expiries are checked on use instead. */
const MAX_TIMER_MS = 2_147_483_647;

const listeners = new Set<Listener>();
let current: Session | null = readStored();
let lastEndReason: SessionEndReason | null = null;
let expiryTimer: ReturnType<typeof setTimeout> | undefined;

function isSession(value: unknown): value is Session {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    typeof v['accessToken'] === 'string' &&
    typeof v['expiresAt'] === 'string' &&
    typeof v['user'] === 'object' &&
    v['user'] !== null
  );
}

function isExpired(session: Session): boolean {
  const expiresAt = Date.parse(session.expiresAt);
  return Number.isFinite(expiresAt) && expiresAt <= Date.now();
}

function readStored(): Session | null {
  try {
    const raw = window.localStorage.getItem(STORAGE_KEY);
    if (!raw) return null;
    const parsed: unknown = JSON.parse(raw);
    return isSession(parsed) && !isExpired(parsed) ? parsed : null;
  } catch {
    return null;
  }
}

function scheduleExpiry(): void {
  clearTimeout(expiryTimer);
  expiryTimer = undefined;
  if (!current) return;
  const delay = Date.parse(current.expiresAt) - Date.now();
  if (Number.isFinite(delay) && delay < MAX_TIMER_MS) {
    expiryTimer = setTimeout(() => clearSession('expired'), Math.max(delay, 0));
  }
}

function emit(): void {
  scheduleExpiry();
  for (const listener of listeners) listener(current);
}

export function getSession(): Session | null {
  return current;
}

/** The bearer token, or null when signed out or expired (an expired session is cleared). */
export function getAccessToken(): string | null {
  if (current && isExpired(current)) clearSession('expired');
  return current?.accessToken ?? null;
}

export function setSession(auth: Pick<AuthResponse, 'accessToken' | 'expiresAt' | 'user'>): void {
  current = { accessToken: auth.accessToken, expiresAt: auth.expiresAt, user: auth.user };
  lastEndReason = null;
  try {
    window.localStorage.setItem(STORAGE_KEY, JSON.stringify(current));
  } catch {
    // Private mode or a full quota: the session still lives in memory for this tab.
  }
  emit();
}

export function clearSession(reason: SessionEndReason = 'logout'): void {
  if (!current) return;
  current = null;
  lastEndReason = reason;
  try {
    window.localStorage.removeItem(STORAGE_KEY);
  } catch {
    // Nothing stored to remove.
  }
  emit();
}

/** Why the last session ended (until the next sign-in), for the login page. */
export function getSessionEndReason(): SessionEndReason | null {
  return lastEndReason;
}

export function subscribeSession(listener: Listener): () => void {
  listeners.add(listener);
  return () => {
    listeners.delete(listener);
  };
}

// Another tab signed in or out.
window.addEventListener('storage', (event) => {
  if (event.key !== STORAGE_KEY && event.key !== null) return;
  const next = readStored();
  if (next?.accessToken === current?.accessToken) return;
  if (!next && current) lastEndReason = 'logout';
  current = next;
  emit();
});
scheduleExpiry();

/** The current session; re-renders on sign-in, sign-out and expiry. */
export function useSession(): Session | null {
  return useSyncExternalStore(subscribeSession, getSession, getSession);
}
