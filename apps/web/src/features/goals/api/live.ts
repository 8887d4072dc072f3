import type { InfiniteData } from '@tanstack/react-query';

import type { Goal, Page } from '@orch/contracts';

import { patchQueries, upsertInPages } from '../../../lib/cache';
import type { LiveContext } from '../../../lib/live-events';
import { goalKeys } from './keys';

type GoalPages = InfiniteData<Page<Goal>>;

/** `goal.updated` (a change, a new goal, or a monitor's evaluation): in place, or first. */
export function withGoal(data: GoalPages, goal: Goal): GoalPages {
  return upsertInPages<Goal, Page<Goal>>(data, goal);
}

export function applyGoalUpdated({ queryClient, workspaceId }: LiveContext, goal: Goal) {
  if (goal.workspaceId !== workspaceId) return;
  patchQueries<GoalPages>(queryClient, goalKeys.lists(workspaceId), (data) => withGoal(data, goal));
}
