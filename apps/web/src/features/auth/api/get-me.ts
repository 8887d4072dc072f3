import { queryOptions, useQuery } from '@tanstack/react-query';

import type { User } from '@orch/contracts';

import { api } from '../../../lib/api-client';

/** GET /api/auth/me: who the token belongs to. A 401 ends the session. */
export function getMe(signal?: AbortSignal): Promise<User> {
  return api.get<User>('/auth/me', { signal });
}

/** Keyed by user id so a different sign-in never reads another user's entry. */
export const meQueryOptions = (userId: string) =>
  queryOptions({
    queryKey: ['auth', 'me', userId] as const,
    queryFn: ({ signal }) => getMe(signal),
    staleTime: 5 * 60_000,
  });

export function useMe(userId: string) {
  return useQuery(meQueryOptions(userId));
}
