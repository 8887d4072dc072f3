import type { QueryClient } from '@tanstack/react-query';

import type { RealtimeDomainEvent, RealtimeEventPayload } from '@orch/contracts';

/** Every domain event the server pushes, as a runtime list (the Record makes it exhaustive). */
const DOMAIN_EVENT_SET: Record<RealtimeDomainEvent, true> = {
  'workspace.updated': true,
  'agent.updated': true,
  'deliverable.created': true,
  'deliverable.updated': true,
  'thinking.step': true,
  'goal.updated': true,
  'quota.notification': true,
};
export const DOMAIN_EVENTS = Object.keys(DOMAIN_EVENT_SET) as RealtimeDomainEvent[];

export interface LiveContext {
  queryClient: QueryClient;
  workspaceId: string;
}

export type LiveApplier<E extends RealtimeDomainEvent> = (
  context: LiveContext,
  payload: RealtimeEventPayload<E>,
) => void | Promise<void>;

type Registry = { [E in RealtimeDomainEvent]: Set<LiveApplier<E>> };

const registry: Registry = {
  'workspace.updated': new Set(),
  'agent.updated': new Set(),
  'deliverable.created': new Set(),
  'deliverable.updated': new Set(),
  'thinking.step': new Set(),
  'goal.updated': new Set(),
  'quota.notification': new Set(),
};

/**
 * Registers how an event changes cached views. Each feature owns the appliers for its own
 * query keys (features/<f>/api/live.ts); app/live wires them to events, so features never
 * import each other. Returns the unregister function.
 */
export function onLiveEvent<E extends RealtimeDomainEvent>(
  event: E,
  applier: LiveApplier<E>,
): () => void {
  const appliers = registry[event] as Set<LiveApplier<E>>;
  appliers.add(applier);
  return () => {
    appliers.delete(applier);
  };
}

/**
 * Applies a change to every cached view it touches. The socket calls it for each push, and
 * mutations call it with their answer: a change learned from our own write and one pushed
 * by the server go down the same path, so the views agree and a late duplicate is a no-op.
 * Appliers that fail (a lookup they needed was refused) are reported, never thrown into
 * the socket or the mutation.
 */
export function applyLiveEvent<E extends RealtimeDomainEvent>(
  context: LiveContext,
  event: E,
  payload: RealtimeEventPayload<E>,
): Promise<void> {
  const appliers = [...(registry[event] as Set<LiveApplier<E>>)];
  return Promise.all(
    appliers.map(async (applier) => {
      try {
        await applier(context, payload);
      } catch (error) {
        console.warn(`applying ${event} failed`, error);
      }
    }),
  ).then(() => undefined);
}
