import { queryOptions, useQuery } from '@tanstack/react-query';

import type { Dashboard } from '@orch/contracts';

import { api } from '../../../lib/api-client';
import { POLL_INTERVAL_MS } from '../../../lib/query-client';
import { workspaceScope } from '../../../lib/query-keys';

/** GET /api/workspaces/:id/dashboard: workspace, agents, recent deliverables, goals, counts. */
export function getDashboard(workspaceId: string, signal?: AbortSignal): Promise<Dashboard> {
  return api.get<Dashboard>(`/workspaces/${encodeURIComponent(workspaceId)}/dashboard`, {
    signal,
  });
}

export const dashboardQueryOptions = (workspaceId: string) =>
  queryOptions({
    queryKey: [...workspaceScope(workspaceId), 'dashboard'] as const,
    queryFn: ({ signal }) => getDashboard(workspaceId, signal),
    refetchInterval: POLL_INTERVAL_MS,
  });

export function useDashboard(workspaceId: string) {
  return useQuery(dashboardQueryOptions(workspaceId));
}
