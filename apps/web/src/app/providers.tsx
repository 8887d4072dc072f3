import { QueryClientProvider } from '@tanstack/react-query';
import { useEffect, type ReactNode } from 'react';

import { queryClient } from '../lib/query-client';
import { cancelPendingRefreshes } from '../lib/refresh';
import { subscribeSession } from '../lib/session';
import { registerLiveAppliers } from './live/register-appliers';

// Once for the app's lifetime: how pushes and mutation answers change the cached views.
registerLiveAppliers();

export function AppProviders({ children }: { children: ReactNode }) {
  // Signing out (or a 401) drops every cached answer, so the next user never sees them.
  useEffect(
    () =>
      subscribeSession((session) => {
        if (!session) {
          cancelPendingRefreshes();
          queryClient.clear();
        }
      }),
    [],
  );

  return <QueryClientProvider client={queryClient}>{children}</QueryClientProvider>;
}
