import { QueryClientProvider } from '@tanstack/react-query';
import { useEffect, type ReactNode } from 'react';

import { queryClient } from '../lib/query-client';
import { subscribeSession } from '../lib/session';

export function AppProviders({ children }: { children: ReactNode }) {
  // Signing out (or a 401) drops every cached answer, so the next user never sees them.
  useEffect(
    () =>
      subscribeSession((session) => {
        if (!session) queryClient.clear();
      }),
    [],
  );

  return <QueryClientProvider client={queryClient}>{children}</QueryClientProvider>;
}
