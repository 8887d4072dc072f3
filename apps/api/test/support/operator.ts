import type { AuthResponse } from '@orch/contracts';
import { expect } from 'vitest';
import type { ApiClient } from './api-client.js';

/** Named in OPERATOR_EMAILS by startTestApp and spawnApi. */
export const TEST_OPERATOR_EMAIL = 'operator@example.test';
const PASSWORD = 'operator-password';

const tokens = new WeakMap<ApiClient, Promise<string>>();

/**
 * A token of the test operator: registered on first use against a database, signed in
 * after that (several API processes on one database share the account); one per client.
 */
export function operatorToken(api: ApiClient): Promise<string> {
  let token = tokens.get(api);
  if (!token) {
    token = signIn(api);
    tokens.set(api, token);
  }
  return token;
}

async function signIn(api: ApiClient): Promise<string> {
  const registered = await api.post<AuthResponse>('/api/auth/register', {
    email: TEST_OPERATOR_EMAIL,
    password: PASSWORD,
    name: 'Operator',
  });
  if (registered.status === 201) return registered.body.accessToken;
  expect(registered.status, registered.text).toBe(409);
  const login = await api.post<AuthResponse>('/api/auth/login', {
    email: TEST_OPERATOR_EMAIL,
    password: PASSWORD,
  });
  expect(login.status, login.text).toBe(200);
  return login.body.accessToken;
}
