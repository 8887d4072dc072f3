import { useMutation, useQueryClient } from '@tanstack/react-query';

import type { StartThinkingRequest, ThinkingProcess } from '@orch/contracts';

import { api } from '../../../lib/api-client';
import { applyProcessStarted } from './live';

/** POST /api/workspaces/:id/thinking: a new running process for an agent. */
export function startThinking(workspaceId: string, body: StartThinkingRequest) {
  return api.post<ThinkingProcess>(`/workspaces/${encodeURIComponent(workspaceId)}/thinking`, body);
}

export function useStartThinking(workspaceId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: StartThinkingRequest) => startThinking(workspaceId, body),
    onSuccess: (process) => applyProcessStarted({ queryClient, workspaceId }, process),
  });
}
