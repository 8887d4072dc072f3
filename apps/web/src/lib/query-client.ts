import { QueryClient } from '@tanstack/react-query';

import { isApiError } from './api-client';

const MAX_RETRIES = 2;

/**
 * The one QueryClient of the app and its defaults. Live views opt into 30 s polling with
 * `livePolling` (lib/polling.ts); pushes patch the cache (lib/cache.ts, lib/live-events.ts).
 */
export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        // Younger than a poll: coming back to a tab refetches only what a poll would have.
        staleTime: 15_000,
        gcTime: 5 * 60_000,
        refetchOnWindowFocus: true,
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
}

export const queryClient = createQueryClient();

declare global {
  interface Window {
    __TANSTACK_QUERY_CLIENT__?: QueryClient;
  }
}

// Where the TanStack Query devtools extension looks for the client (the browser tests read
// `isFetching()` there to know every answer has been applied).
window.__TANSTACK_QUERY_CLIENT__ = queryClient;
