import { useMutation, useQueryClient } from '@tanstack/react-query';

import type { Goal, CreateGoalRequest } from '@orch/contracts';

import { api } from '../../../lib/api-client';
import { applyLiveEvent } from '../../../lib/live-events';

/** POST /api/workspaces/:id/goals. */
export function createGoal(workspaceId: string, body: CreateGoalRequest): Promise<Goal> {
  return api.post<Goal>(`/workspaces/${encodeURIComponent(workspaceId)}/goals`, body);
}

export function useCreateGoal(workspaceId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: CreateGoalRequest) => createGoal(workspaceId, body),
    onSuccess: (goal) => applyLiveEvent({ queryClient, workspaceId }, 'goal.updated', { goal }),
  });
}
