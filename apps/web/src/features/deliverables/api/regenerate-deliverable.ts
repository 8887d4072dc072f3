import { useMutation, useQueryClient } from '@tanstack/react-query';

import type { DisplayedDeliverable } from '@orch/contracts';

import { api } from '../../../lib/api-client';
import { applyDeliverable } from './live';

/**
 * POST /api/deliverables/:id/regenerate: one more AI call, counted against the daily quota
 * (429 QUOTA_EXHAUSTED when it is used up). With the display queue (the default) the server
 * answers 202 with what is stored now and pushes the new result as `deliverable.updated`;
 * on read it answers 200 with the result (502 if the provider fails).
 */
export function regenerateDeliverable(deliverableId: string): Promise<DisplayedDeliverable> {
  return api.post<DisplayedDeliverable>(
    `/deliverables/${encodeURIComponent(deliverableId)}/regenerate`,
  );
}

/** The answer goes into the list at once; the queue's result follows as a push. */
export function useRegenerateDeliverable(workspaceId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: regenerateDeliverable,
    onSuccess: (deliverable) => applyDeliverable({ queryClient, workspaceId }, deliverable),
  });
}
