/**
 * The example of docs/api.md: a client generated from the OpenAPI document (openapi-typescript
 * types in api-schema.ts, openapi-fetch for the calls) that signs in, lists the caller's
 * workspaces and reads the first one's dashboard. generated-client.spec.ts type-checks it
 * and runs it against a real server.
 */
import createClient from 'openapi-fetch';
import type { components, paths } from './api-schema.js';

export type Dashboard = components['schemas']['Dashboard'];
export type WorkspaceForUser = components['schemas']['WorkspaceForUser'];
type ErrorResponse = components['schemas']['ErrorResponse'];

function fail(step: string, error: ErrorResponse): never {
  throw new Error(`${step}: ${error.statusCode} ${error.code ?? error.error}: ${error.message}`);
}

export async function readFirstDashboard(
  baseUrl: string,
  credentials: { email: string; password: string },
): Promise<{ workspaces: WorkspaceForUser[]; dashboard: Dashboard }> {
  const api = createClient<paths>({ baseUrl });

  const login = await api.POST('/api/auth/login', { body: credentials });
  if (login.error) fail('login', login.error);
  const { accessToken } = login.data;
  api.use({
    onRequest: ({ request }) => {
      request.headers.set('authorization', `Bearer ${accessToken}`);
      return request;
    },
  });

  const list = await api.GET('/api/workspaces', { params: { query: { limit: 10 } } });
  if (list.error) fail('list workspaces', list.error);
  const first = list.data.items[0];
  if (!first) throw new Error('no workspace yet');

  const dashboard = await api.GET('/api/workspaces/{id}/dashboard', {
    params: { path: { id: first.id } },
  });
  if (dashboard.error) fail('read dashboard', dashboard.error);
  return { workspaces: list.data.items, dashboard: dashboard.data };
}
