import { useMutation, useQueryClient, type InfiniteData } from '@tanstack/react-query';

import type { Page, UpdateGoalRequest } from '@orch/contracts';

import { api } from '../../../lib/api-client';
import { patchQueries, replaceInPages } from '../../../lib/cache';
import { applyLiveEvent } from '../../../lib/live-events';
import { goalKeys } from './keys';
import type { GoalView } from './types';

/** PATCH /api/goals/:id. */
export function updateGoal(goalId: string, body: UpdateGoalRequest): Promise<GoalView> {
  return api.patch<GoalView>(`/goals/${encodeURIComponent(goalId)}`, body);
}

/** Still the optimistic version (the cache stores copies, so compare what was changed). */
function isOptimistic(current: GoalView, optimistic: GoalView): boolean {
  return current.status === optimistic.status && current.updatedAt === optimistic.updatedAt;
}

type GoalPages = InfiniteData<Page<GoalView>>;

/**
 * Edits a goal. Pausing and resuming show at once (a status the server takes or refuses);
 * a refusal puts the goal back unless a newer version arrived meanwhile.
 */
export function useUpdateGoal(workspaceId: string) {
  const queryClient = useQueryClient();
  const listKey = goalKeys.lists(workspaceId);
  return useMutation({
    mutationFn: ({ goal, changes }: { goal: GoalView; changes: UpdateGoalRequest }) =>
      updateGoal(goal.id, changes),
    onMutate: async ({ goal, changes }) => {
      if (!changes.status || changes.status === goal.status) return undefined;
      await queryClient.cancelQueries({ queryKey: listKey });
      const optimistic: GoalView = { ...goal, status: changes.status };
      patchQueries<GoalPages>(queryClient, listKey, (data) =>
        replaceInPages<GoalView, Page<GoalView>>(data, goal.id, () => optimistic),
      );
      return { previous: goal, optimistic };
    },
    onError: (_error, _variables, context) => {
      if (!context) return;
      patchQueries<GoalPages>(queryClient, listKey, (data) =>
        replaceInPages<GoalView, Page<GoalView>>(data, context.previous.id, (current) =>
          isOptimistic(current, context.optimistic) ? context.previous : current,
        ),
      );
    },
    onSuccess: (goal) => applyLiveEvent({ queryClient, workspaceId }, 'goal.updated', { goal }),
  });
}
