import { QueryClient } from '@tanstack/react-query';

import { isApiError } from './api-client';

/** How often workspace views poll (real-time pushes come on top of this). */
export const POLL_INTERVAL_MS = 30_000;

const MAX_RETRIES = 2;

/** The one QueryClient of the app and its defaults. */
export const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      staleTime: 15_000,
      gcTime: 5 * 60_000,
      refetchOnWindowFocus: true,
      // Every view on screen polls; real-time pushes (app/use-live-workspace.ts) come on top.
      refetchInterval: POLL_INTERVAL_MS,
      refetchIntervalInBackground: false,
      // A 4xx will answer the same again: only network errors and 5xx are retried.
      retry: (failureCount, error) => {
        if (isApiError(error) && error.isClientError) return false;
        return failureCount < MAX_RETRIES;
      },
    },
    mutations: {
      retry: false,
    },
  },
});
