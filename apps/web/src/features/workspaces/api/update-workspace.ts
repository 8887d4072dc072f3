import { useMutation, useQueryClient } from '@tanstack/react-query';

import type { UpdateWorkspaceRequest, Workspace } from '@orch/contracts';

import { api } from '../../../lib/api-client';
import { applyLiveEvent } from '../../../lib/live-events';

/** PATCH /api/workspaces/:id (owners). */
export function updateWorkspace(workspaceId: string, body: UpdateWorkspaceRequest) {
  return api.patch<Workspace>(`/workspaces/${encodeURIComponent(workspaceId)}`, body);
}

/** Applies the answer as the `workspace.updated` push would: dashboard and lists in place. */
export function useUpdateWorkspace(workspaceId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: UpdateWorkspaceRequest) => updateWorkspace(workspaceId, body),
    onSuccess: (workspace) =>
      applyLiveEvent({ queryClient, workspaceId }, 'workspace.updated', { workspace }),
  });
}
