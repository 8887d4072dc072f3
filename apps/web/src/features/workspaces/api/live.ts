import type { InfiniteData } from '@tanstack/react-query';

import {
  DASHBOARD_RECENT_DELIVERABLES,
  type Agent,
  type Dashboard,
  type Deliverable,
  type Goal,
  type Page,
  type Workspace,
  type WorkspaceForUser,
} from '@orch/contracts';

import { isNotOlder, patchQueries, replaceInPages } from '../../../lib/cache';
import type { LiveContext } from '../../../lib/live-events';
import { requestRefresh } from '../../../lib/refresh';
import { workspaceKeys } from './keys';

/*
 * How pushed changes (and our own mutations' answers) update the dashboard and the
 * workspace lists in place. Each function is pure over the cached value so it can be
 * tested alone; the `apply*` wrappers patch the cache through the key factory.
 */

export function withWorkspace(board: Dashboard, workspace: Workspace): Dashboard {
  if (board.workspace.id !== workspace.id || !isNotOlder(workspace, board.workspace)) return board;
  return { ...board, workspace };
}

/**
 * An agent changed or was created. Known agents are replaced and the status counts moved
 * from the old status to the new; an agent the dashboard doesn't list is new (the
 * dashboard lists every agent up to its bound). Returns null when that can't be told (a
 * workspace beyond the bound): the caller then refreshes.
 */
export function withAgent(board: Dashboard, agent: Agent): Dashboard | null {
  const index = board.agents.findIndex((a) => a.id === agent.id);
  const statusCounts = { ...board.agentStatusCounts };
  if (index >= 0) {
    const current = board.agents[index];
    if (!isNotOlder(agent, current)) return board;
    const agents = board.agents.slice();
    agents[index] = agent;
    statusCounts[current.status] = Math.max(0, (statusCounts[current.status] ?? 0) - 1);
    statusCounts[agent.status] = (statusCounts[agent.status] ?? 0) + 1;
    return { ...board, agents, agentStatusCounts: statusCounts };
  }
  if (board.agents.length < board.counts.agents) return null;
  statusCounts[agent.status] = (statusCounts[agent.status] ?? 0) + 1;
  return {
    ...board,
    agents: [agent, ...board.agents],
    agentStatusCounts: statusCounts,
    counts: { ...board.counts, agents: board.counts.agents + 1 },
  };
}

/** A deliverable was created (`isNew`) or edited: the recent list and the count follow. */
export function withDeliverable(board: Dashboard, deliverable: Deliverable, isNew: boolean) {
  const index = board.recentDeliverables.findIndex((d) => d.id === deliverable.id);
  if (index >= 0) {
    if (!isNotOlder(deliverable, board.recentDeliverables[index])) return board;
    const recentDeliverables = board.recentDeliverables.slice();
    recentDeliverables[index] = deliverable;
    return { ...board, recentDeliverables };
  }
  if (!isNew) return board; // an older deliverable, not among the recent ones
  return {
    ...board,
    recentDeliverables: [deliverable, ...board.recentDeliverables].slice(
      0,
      DASHBOARD_RECENT_DELIVERABLES,
    ),
    counts: { ...board.counts, deliverables: board.counts.deliverables + 1 },
  };
}

/** A goal changed or was created (the dashboard lists every goal). */
export function withGoal(board: Dashboard, goal: Goal): Dashboard {
  const index = board.goals.findIndex((g) => g.id === goal.id);
  if (index >= 0) {
    if (!isNotOlder(goal, board.goals[index])) return board;
    const goals = board.goals.slice();
    goals[index] = goal;
    return { ...board, goals };
  }
  return {
    ...board,
    goals: [goal, ...board.goals],
    counts: { ...board.counts, goals: board.counts.goals + 1 },
  };
}

export function applyWorkspaceUpdated(
  { queryClient, workspaceId }: LiveContext,
  workspace: Workspace,
) {
  patchQueries<Dashboard>(queryClient, workspaceKeys.dashboard(workspaceId), (board) =>
    withWorkspace(board, workspace),
  );
  // The lists carry the user's role, which an update doesn't change.
  patchQueries<InfiniteData<Page<WorkspaceForUser>>>(queryClient, workspaceKeys.lists(), (data) =>
    replaceInPages<WorkspaceForUser, Page<WorkspaceForUser>>(data, workspace.id, (current) =>
      isNotOlder(workspace, current) ? { ...workspace, role: current.role } : current,
    ),
  );
}

export function applyAgentToDashboard({ queryClient, workspaceId }: LiveContext, agent: Agent) {
  if (agent.workspaceId !== workspaceId) return;
  const key = workspaceKeys.dashboard(workspaceId);
  let unknown = false;
  patchQueries<Dashboard>(queryClient, key, (board) => {
    const next = withAgent(board, agent);
    if (next) return next;
    unknown = true;
    return board;
  });
  if (unknown) requestRefresh(queryClient, key);
}

export function applyDeliverableToDashboard(
  { queryClient, workspaceId }: LiveContext,
  deliverable: Deliverable,
  isNew: boolean,
) {
  if (deliverable.workspaceId !== workspaceId) return;
  patchQueries<Dashboard>(queryClient, workspaceKeys.dashboard(workspaceId), (board) =>
    withDeliverable(board, deliverable, isNew),
  );
}

export function applyGoalToDashboard({ queryClient, workspaceId }: LiveContext, goal: Goal) {
  if (goal.workspaceId !== workspaceId) return;
  patchQueries<Dashboard>(queryClient, workspaceKeys.dashboard(workspaceId), (board) =>
    withGoal(board, goal),
  );
}
