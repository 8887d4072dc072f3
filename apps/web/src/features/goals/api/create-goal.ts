import { useMutation, useQueryClient } from '@tanstack/react-query';

import type { CreateGoalRequest } from '@orch/contracts';

import { api } from '../../../lib/api-client';
import { applyLiveEvent } from '../../../lib/live-events';
import type { GoalView } from './types';

/** POST /api/workspaces/:id/goals. */
export function createGoal(workspaceId: string, body: CreateGoalRequest): Promise<GoalView> {
  return api.post<GoalView>(`/workspaces/${encodeURIComponent(workspaceId)}/goals`, body);
}

export function useCreateGoal(workspaceId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: CreateGoalRequest) => createGoal(workspaceId, body),
    onSuccess: (goal) => applyLiveEvent({ queryClient, workspaceId }, 'goal.updated', { goal }),
  });
}
