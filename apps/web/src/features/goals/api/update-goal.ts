import { useMutation, useQueryClient, type InfiniteData } from '@tanstack/react-query';

import type { Goal, Page, UpdateGoalRequest } from '@orch/contracts';

import { api } from '../../../lib/api-client';
import { patchQueries, replaceInPages } from '../../../lib/cache';
import { applyLiveEvent } from '../../../lib/live-events';
import { goalKeys } from './keys';

/** PATCH /api/goals/:id. */
export function updateGoal(goalId: string, body: UpdateGoalRequest): Promise<Goal> {
  return api.patch<Goal>(`/goals/${encodeURIComponent(goalId)}`, body);
}

/** Still the optimistic version (the cache stores copies, so compare what was changed). */
function isOptimistic(current: Goal, optimistic: Goal): boolean {
  return current.status === optimistic.status && current.updatedAt === optimistic.updatedAt;
}

type GoalPages = InfiniteData<Page<Goal>>;

/**
 * Edits a goal. Pausing and resuming show at once (a status the server takes or refuses);
 * a refusal puts the goal back unless a newer version arrived meanwhile.
 */
export function useUpdateGoal(workspaceId: string) {
  const queryClient = useQueryClient();
  const listKey = goalKeys.lists(workspaceId);
  return useMutation({
    mutationFn: ({ goal, changes }: { goal: Goal; changes: UpdateGoalRequest }) =>
      updateGoal(goal.id, changes),
    onMutate: async ({ goal, changes }) => {
      if (!changes.status || changes.status === goal.status) return undefined;
      await queryClient.cancelQueries({ queryKey: listKey });
      const optimistic: Goal = { ...goal, status: changes.status };
      patchQueries<GoalPages>(queryClient, listKey, (data) =>
        replaceInPages<Goal, Page<Goal>>(data, goal.id, () => optimistic),
      );
      return { previous: goal, optimistic };
    },
    onError: (_error, _variables, context) => {
      if (!context) return;
      patchQueries<GoalPages>(queryClient, listKey, (data) =>
        replaceInPages<Goal, Page<Goal>>(data, context.previous.id, (current) =>
          isOptimistic(current, context.optimistic) ? context.previous : current,
        ),
      );
    },
    onSuccess: (goal) => applyLiveEvent({ queryClient, workspaceId }, 'goal.updated', { goal }),
  });
}
