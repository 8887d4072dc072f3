import { useMutation } from '@tanstack/react-query';

import type { AuthResponse, LoginRequest } from '@orch/contracts';

import { api } from '../../../lib/api-client';
import { setSession } from '../../../lib/session';

/** POST /api/auth/login. Unauthenticated: a 401 here means wrong credentials. */
export function login(body: LoginRequest): Promise<AuthResponse> {
  return api.post<AuthResponse>('/auth/login', body, { auth: false });
}

interface UseLoginOptions {
  onSuccess?: (response: AuthResponse) => void;
}

/** Signs in and stores the session; the cache of any previous user is already cleared. */
export function useLogin({ onSuccess }: UseLoginOptions = {}) {
  return useMutation({
    mutationFn: login,
    onSuccess: (response) => {
      setSession(response);
      onSuccess?.(response);
    },
  });
}
