import { focusManager, QueryClient, QueryObserver } from '@tanstack/react-query';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import { patchQueries } from '../../src/lib/cache';
import { livePolling, pollInterval, POLL_INTERVAL_MS } from '../../src/lib/polling';

const state = (dataUpdatedAt: number, fetchStatus: 'idle' | 'fetching' = 'idle') => ({
  state: { dataUpdatedAt, errorUpdatedAt: 0, fetchStatus },
});

describe('pollInterval', () => {
  afterEach(() => focusManager.setFocused(undefined));

  it('is due 30 s after the last fetch, whatever happened since', () => {
    expect(pollInterval(state(100_000), 100_000)).toBe(30_000);
    expect(pollInterval(state(100_000), 112_000)).toBe(18_000);
    expect(pollInterval(state(100_000), 129_999)).toBe(1);
  });

  it('waits a full interval while a fetch runs or before the first one', () => {
    expect(pollInterval(state(100_000, 'fetching'), 125_000)).toBe(POLL_INTERVAL_MS);
    expect(pollInterval(state(0), 125_000)).toBe(POLL_INTERVAL_MS);
  });

  it('fetches soon when overdue on a visible tab, and only ticks slowly on a hidden one', () => {
    expect(pollInterval(state(100_000), 200_000)).toBe(1_000);
    focusManager.setFocused(false);
    expect(pollInterval(state(100_000), 200_000)).toBe(POLL_INTERVAL_MS);
    expect(pollInterval(state(100_000), 110_000)).toBe(POLL_INTERVAL_MS);
  });
});

describe('a live query under pushes', () => {
  let queryClient: QueryClient;

  beforeEach(() => {
    vi.useFakeTimers({ now: 1_000_000 });
    queryClient = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  });
  afterEach(() => {
    queryClient.clear();
    vi.useRealTimers();
  });

  it('keeps its 30 s rhythm while pushes patch it every 5 s (a plain interval would never poll)', async () => {
    let fetches = 0;
    const key = ['workspace', 'w1', 'things'];
    const observer = new QueryObserver(queryClient, {
      queryKey: key,
      queryFn: () => ++fetches,
      ...livePolling,
    });
    const unsubscribe = observer.subscribe(() => undefined);
    await vi.advanceTimersByTimeAsync(0);
    expect(fetches).toBe(1);

    // Two minutes with a push every 5 s: the polls still come at 30, 60, 90 and 120 s.
    for (let second = 5; second <= 120; second += 5) {
      await vi.advanceTimersByTimeAsync(5_000);
      patchQueries<number>(queryClient, key, (n) => n + 0.001);
    }
    expect(fetches).toBe(5);
    unsubscribe();
  });

  it('does not poll while the tab is hidden', async () => {
    let fetches = 0;
    const observer = new QueryObserver(queryClient, {
      queryKey: ['workspace', 'w1', 'hidden'],
      queryFn: () => ++fetches,
      ...livePolling,
    });
    const unsubscribe = observer.subscribe(() => undefined);
    await vi.advanceTimersByTimeAsync(0);
    focusManager.setFocused(false);
    await vi.advanceTimersByTimeAsync(10 * 60_000);
    expect(fetches).toBe(1);
    unsubscribe();
    focusManager.setFocused(undefined);
  });
});
