import { useMutation, useQueryClient } from '@tanstack/react-query';

import type { DisplayedDeliverable, UpdateDeliverableRequest } from '@orch/contracts';

import { api } from '../../../lib/api-client';
import { applyLiveEvent } from '../../../lib/live-events';

/** PATCH /api/deliverables/:id. */
export function updateDeliverable(deliverableId: string, body: UpdateDeliverableRequest) {
  return api.patch<DisplayedDeliverable>(
    `/deliverables/${encodeURIComponent(deliverableId)}`,
    body,
  );
}

export function useUpdateDeliverable(workspaceId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, changes }: { id: string; changes: UpdateDeliverableRequest }) =>
      updateDeliverable(id, changes),
    onSuccess: (deliverable) =>
      applyLiveEvent({ queryClient, workspaceId }, 'deliverable.updated', { deliverable }),
  });
}
