import { useMutation, useQueryClient } from '@tanstack/react-query';

import type { DisplayedDeliverable } from '@orch/contracts';

import { api } from '../../../lib/api-client';
import { applyDeliverable } from './live';

/**
 * POST /api/deliverables/:id/regenerate: transforms again now (one AI call, counted against
 * the daily quota; 429 QUOTA_EXHAUSTED when it is used up, 502 if the provider fails).
 */
export function regenerateDeliverable(deliverableId: string): Promise<DisplayedDeliverable> {
  return api.post<DisplayedDeliverable>(
    `/deliverables/${encodeURIComponent(deliverableId)}/regenerate`,
  );
}

/** Not a domain event (the deliverable itself is unchanged): only the list takes the answer. */
export function useRegenerateDeliverable(workspaceId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: regenerateDeliverable,
    onSuccess: (deliverable) => applyDeliverable({ queryClient, workspaceId }, deliverable),
  });
}
