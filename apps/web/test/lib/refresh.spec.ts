import { focusManager, QueryClient, QueryObserver } from '@tanstack/react-query';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import {
  COALESCE_MS,
  MIN_REFETCH_GAP_MS,
  refetchOverdue,
  requestRefresh,
} from '../../src/lib/refresh';

describe('requestRefresh: events without enough payload', () => {
  let queryClient: QueryClient;
  let fetches: number;
  let unsubscribe: () => void;
  const key = ['workspace', 'w1', 'figures'] as const;

  beforeEach(async () => {
    vi.useFakeTimers({ now: 5_000_000 });
    queryClient = new QueryClient({
      defaultOptions: { queries: { retry: false, staleTime: 15_000 } },
    });
    fetches = 0;
    const observer = new QueryObserver(queryClient, { queryKey: key, queryFn: () => ++fetches });
    unsubscribe = observer.subscribe(() => undefined);
    await vi.advanceTimersByTimeAsync(0);
    expect(fetches).toBe(1);
  });
  afterEach(() => {
    unsubscribe();
    queryClient.clear();
    focusManager.setFocused(undefined);
    vi.useRealTimers();
  });

  it('merges a burst into one refetch, no sooner than 20 s after the last fetch', async () => {
    for (let i = 0; i < 50; i += 1) requestRefresh(queryClient, key);
    await vi.advanceTimersByTimeAsync(MIN_REFETCH_GAP_MS - 1);
    expect(fetches).toBe(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(fetches).toBe(2);
    // Long after the last fetch, a request costs one refetch after the coalescing window.
    await vi.advanceTimersByTimeAsync(60_000);
    requestRefresh(queryClient, key);
    requestRefresh(queryClient, key);
    await vi.advanceTimersByTimeAsync(COALESCE_MS);
    expect(fetches).toBe(3);
  });

  it('skips the refetch when the view was fetched after the request', async () => {
    requestRefresh(queryClient, key);
    await vi.advanceTimersByTimeAsync(1_000);
    await queryClient.refetchQueries({ queryKey: key }); // a poll, say
    expect(fetches).toBe(2);
    await vi.advanceTimersByTimeAsync(MIN_REFETCH_GAP_MS);
    expect(fetches).toBe(2);
  });

  it('on a hidden tab only marks the view stale', async () => {
    focusManager.setFocused(false);
    requestRefresh(queryClient, key);
    await vi.advanceTimersByTimeAsync(MIN_REFETCH_GAP_MS);
    expect(fetches).toBe(1);
    expect(queryClient.getQueryState(key)?.isInvalidated).toBe(true);
  });
});

describe('refetchOverdue: after a reconnect', () => {
  afterEach(() => vi.useRealTimers());

  it('refetches only views whose poll is overdue', async () => {
    vi.useFakeTimers({ now: 9_000_000 });
    const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false } } });
    const counts = { fresh: 0, overdue: 0 };
    const subscriptions = (['fresh', 'overdue'] as const).map((name) =>
      new QueryObserver(queryClient, {
        queryKey: ['workspace', 'w1', name],
        queryFn: () => ++counts[name],
      }).subscribe(() => undefined),
    );
    await vi.advanceTimersByTimeAsync(0);
    // "overdue" was last fetched 31 s ago (its polls failed while the server was away).
    queryClient.setQueryData(['workspace', 'w1', 'overdue'], 1, { updatedAt: Date.now() - 31_000 });
    await refetchOverdue(queryClient, ['workspace', 'w1']);
    expect(counts).toEqual({ fresh: 1, overdue: 2 });
    subscriptions.forEach((unsubscribe) => unsubscribe());
    queryClient.clear();
  });
});
