import { useMutation, useQueryClient } from '@tanstack/react-query';

import type { CreateDeliverableRequest, DisplayedDeliverable } from '@orch/contracts';

import { api } from '../../../lib/api-client';
import { applyLiveEvent } from '../../../lib/live-events';

/** POST /api/workspaces/:id/deliverables (markdown; transformed on its first read). */
export function createDeliverable(workspaceId: string, body: CreateDeliverableRequest) {
  return api.post<DisplayedDeliverable>(
    `/workspaces/${encodeURIComponent(workspaceId)}/deliverables`,
    body,
  );
}

export function useCreateDeliverable(workspaceId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: CreateDeliverableRequest) => createDeliverable(workspaceId, body),
    onSuccess: (deliverable) =>
      applyLiveEvent({ queryClient, workspaceId }, 'deliverable.created', { deliverable }),
  });
}
