import { focusManager, hashKey, type QueryClient, type QueryKey } from '@tanstack/react-query';

import { lastFetchAt, POLL_INTERVAL_MS } from './polling';

/** A burst of events costs one refetch: requests within this window are merged. */
export const COALESCE_MS = 250;
/**
 * No query is refetched for events sooner than this after its last fetch. With polls 30 s
 * apart, any 60 s then holds at most 3 fetches of one query, however busy the workspace.
 */
export const MIN_REFETCH_GAP_MS = 20_000;

const pending = new Map<string, ReturnType<typeof setTimeout>>();

/**
 * For an event that says "this view changed" without carrying the change: refetch the
 * view, coalesced. The refetch waits until MIN_REFETCH_GAP_MS after the view's last fetch,
 * skips views fetched since the request (a poll brought the change already), never starts
 * a second fetch while one is running, and on a hidden tab only marks the view stale (it
 * refetches when the tab is visible again).
 */
export function requestRefresh(
  queryClient: QueryClient,
  queryKey: QueryKey,
  now: number = Date.now(),
): void {
  const hash = hashKey(queryKey);
  if (pending.has(hash)) return;
  const queries = queryClient.getQueryCache().findAll({ queryKey });
  const last = Math.max(0, ...queries.map(lastFetchAt));
  const delay = Math.max(COALESCE_MS, last + MIN_REFETCH_GAP_MS - now);
  const requestedAt = now;
  pending.set(
    hash,
    setTimeout(() => {
      pending.delete(hash);
      const notFetchedSince = (query: Parameters<typeof lastFetchAt>[0]) =>
        lastFetchAt(query) <= requestedAt;
      void queryClient.invalidateQueries({
        queryKey,
        refetchType: 'none',
        predicate: notFetchedSince,
      });
      if (!focusManager.isFocused()) return;
      void queryClient.refetchQueries(
        { queryKey, type: 'active', predicate: notFetchedSince },
        { cancelRefetch: false },
      );
    }, delay),
  );
}

/**
 * After the socket reconnects: events pushed while it was down are lost, but the 30 s polls
 * never stopped, so only views whose poll is overdue (they failed while the server was
 * away) are refetched now; the others are at most one poll behind, as without a socket.
 */
export function refetchOverdue(
  queryClient: QueryClient,
  queryKey: QueryKey,
  now: number = Date.now(),
): Promise<void> {
  if (!focusManager.isFocused()) return Promise.resolve();
  return queryClient.refetchQueries(
    {
      queryKey,
      type: 'active',
      predicate: (query) =>
        query.state.fetchStatus === 'idle' && now - lastFetchAt(query) > POLL_INTERVAL_MS,
    },
    { cancelRefetch: false },
  );
}

/** Drops scheduled refreshes (sign-out, tests). */
export function cancelPendingRefreshes(): void {
  for (const timer of pending.values()) clearTimeout(timer);
  pending.clear();
}
