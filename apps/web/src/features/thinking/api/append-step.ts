import { useMutation, useQueryClient } from '@tanstack/react-query';

import type { AppendStepRequest, ThinkingStep } from '@orch/contracts';

import { api } from '../../../lib/api-client';
import { applyLiveEvent } from '../../../lib/live-events';

/** POST /api/thinking/:processId/steps (409 THINKING_PROCESS_CLOSED once it has ended). */
export function appendStep(processId: string, body: AppendStepRequest): Promise<ThinkingStep> {
  return api.post<ThinkingStep>(`/thinking/${encodeURIComponent(processId)}/steps`, body);
}

/** The answer is appended the way the `thinking.step` push is (which then finds it there). */
export function useAppendStep(workspaceId: string, processId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: AppendStepRequest) => appendStep(processId, body),
    onSuccess: (step) =>
      applyLiveEvent({ queryClient, workspaceId }, 'thinking.step', {
        workspaceId,
        processId,
        step,
      }),
  });
}
