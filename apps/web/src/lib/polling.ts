import { focusManager, type FetchStatus } from '@tanstack/react-query';

/** How often every live view polls; pushes over the socket come on top of this. */
export const POLL_INTERVAL_MS = 30_000;

/** When a poll is overdue on a visible tab (rare: the tab just came back), fetch this soon. */
const OVERDUE_DELAY_MS = 1_000;

/** The part of a query's state the polling rules read (any Query fits). */
export interface PolledQuery {
  state: { dataUpdatedAt: number; errorUpdatedAt: number; fetchStatus: FetchStatus };
}

/** When the query last asked the server (successfully or not); 0 if never. */
export function lastFetchAt(query: PolledQuery): number {
  return Math.max(query.state.dataUpdatedAt, query.state.errorUpdatedAt);
}

/**
 * `refetchInterval` of every live query: the next poll is due 30 s after the last *fetch*.
 *
 * TanStack Query re-arms the interval on every update of the query, including the
 * `setQueryData` of a push, so a plain `refetchInterval: 30_000` would postpone the poll on
 * every pushed event (a busy workspace would never poll). Pushes are written with the
 * query's own `dataUpdatedAt` (lib/cache.ts), so this stays the time of the last fetch and
 * the poll keeps its 30 s rhythm whatever arrives in between. Hidden tabs don't poll at all
 * (`refetchIntervalInBackground: false`); they refetch when they become visible again.
 */
export function pollInterval(query: PolledQuery, now: number = Date.now()): number {
  const last = lastFetchAt(query);
  if (query.state.fetchStatus !== 'idle' || last === 0) return POLL_INTERVAL_MS;
  // Hidden: the timer only ticks without fetching; keep it slow (focus refetches on return).
  if (!focusManager.isFocused()) return POLL_INTERVAL_MS;
  const due = last + POLL_INTERVAL_MS - now;
  return due > 0 ? due : OVERDUE_DELAY_MS;
}

/** Spread into the options of every query that must stay current on screen. */
export const livePolling = {
  refetchInterval: pollInterval,
  refetchIntervalInBackground: false,
} as const;
