import { applyAgentUpdated } from '../../features/agents/api/live';
import { applyDeliverable } from '../../features/deliverables/api/live';
import { applyGoalUpdated } from '../../features/goals/api/live';
import { refreshPerformanceOnPush } from '../../features/performance/api/live';
import { applyQuotaNotification } from '../../features/quota/api/live';
import { applyThinkingStep } from '../../features/thinking/api/live';
import {
  applyAgentToDashboard,
  applyDeliverableToDashboard,
  applyGoalToDashboard,
  applyWorkspaceUpdated,
} from '../../features/workspaces/api/live';
import { DOMAIN_EVENTS, onLiveEvent } from '../../lib/live-events';

/**
 * Which feature's cached views each domain event changes. Every event that carries its
 * entity is applied in place (setQueryData through the features' key factories); none of
 * them refetches a list. The performance figures, which no event carries, are refreshed,
 * coalesced. Returns the function that unregisters them all.
 */
export function registerLiveAppliers(): () => void {
  const off = [
    onLiveEvent('workspace.updated', (ctx, { workspace }) => applyWorkspaceUpdated(ctx, workspace)),
    onLiveEvent('agent.updated', (ctx, { agent }) => {
      applyAgentUpdated(ctx, agent);
      applyAgentToDashboard(ctx, agent);
    }),
    onLiveEvent('deliverable.created', (ctx, { deliverable }) => {
      applyDeliverable(ctx, deliverable);
      applyDeliverableToDashboard(ctx, deliverable, true);
    }),
    onLiveEvent('deliverable.updated', (ctx, { deliverable }) => {
      applyDeliverable(ctx, deliverable);
      applyDeliverableToDashboard(ctx, deliverable, false);
    }),
    onLiveEvent('thinking.step', (ctx, payload) => applyThinkingStep(ctx, payload)),
    onLiveEvent('goal.updated', (ctx, { goal }) => {
      applyGoalUpdated(ctx, goal);
      applyGoalToDashboard(ctx, goal);
    }),
    onLiveEvent('quota.notification', (ctx, { notification }) =>
      applyQuotaNotification(ctx, notification),
    ),
    ...DOMAIN_EVENTS.map((event) => onLiveEvent(event, (ctx) => refreshPerformanceOnPush(ctx))),
  ];
  return () => off.forEach((unregister) => unregister());
}
