import { queryOptions, useQuery } from '@tanstack/react-query';

import type { Dashboard } from '@orch/contracts';

import { api } from '../../../lib/api-client';
import { livePolling } from '../../../lib/polling';
import { workspaceKeys } from './keys';

/** GET /api/workspaces/:id/dashboard: workspace, agents, recent deliverables, goals, counts. */
export function getDashboard(workspaceId: string, signal?: AbortSignal): Promise<Dashboard> {
  return api.get<Dashboard>(`/workspaces/${encodeURIComponent(workspaceId)}/dashboard`, {
    signal,
  });
}

export const dashboardQueryOptions = (workspaceId: string) =>
  queryOptions({
    queryKey: workspaceKeys.dashboard(workspaceId),
    queryFn: ({ signal }) => getDashboard(workspaceId, signal),
    ...livePolling,
  });

export function useDashboard(workspaceId: string) {
  return useQuery(dashboardQueryOptions(workspaceId));
}
