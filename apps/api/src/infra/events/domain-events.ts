import { Injectable, Logger } from '@nestjs/common';
import type { RealtimeDomainEvent, RealtimeEventPayload } from '@orch/contracts';

/**
 * Everything a module announces after its write has committed. The realtime
 * ones carry the names and payloads the gateway pushes to the workspace's
 * room; the internal ones only tell other parts of the app (the cache).
 */
export type RealtimeEvent = {
  [E in RealtimeDomainEvent]: {
    type: E;
    workspaceId: string;
    payload: RealtimeEventPayload<E>;
    /**
     * Only how the record is displayed changed (the display queue stored a deliverable's
     * display content): clients are told, but no cached read and no goal verdict depends
     * on it, so the cache and the goal monitor let it pass.
     */
    displayOnly?: true;
  };
}[RealtimeDomainEvent];

export type InternalEvent = {
  type:
    'workspace.deleted' | 'workspace.members_changed' | 'thinking.process_changed' | 'quota.used';
  workspaceId: string;
};

export type DomainEvent = RealtimeEvent | InternalEvent;

const INTERNAL = new Set<DomainEvent['type']>([
  'workspace.deleted',
  'workspace.members_changed',
  'thinking.process_changed',
  'quota.used',
]);

export function isRealtimeEvent(event: DomainEvent): event is RealtimeEvent {
  return !INTERNAL.has(event.type);
}

export type DomainEventHandler = (event: DomainEvent) => void | Promise<void>;

/**
 * In-process publish/subscribe for domain events. Publishers call it after
 * their transaction commits; subscribers (cache invalidation, the realtime
 * gateway) must not throw into the publisher: their errors are logged here.
 */
@Injectable()
export class DomainEvents {
  private readonly logger = new Logger('DomainEvents');
  private readonly handlers = new Set<DomainEventHandler>();

  subscribe(handler: DomainEventHandler): () => void {
    this.handlers.add(handler);
    return () => this.handlers.delete(handler);
  }

  /**
   * Runs every handler and resolves when all have finished (cache
   * invalidation included), so a write is acknowledged only after every
   * instance would read the new value. Handler errors are logged, not thrown:
   * the write has committed already.
   */
  async publish(event: DomainEvent): Promise<void> {
    await Promise.all(
      [...this.handlers].map(async (handler) => {
        try {
          await handler(event);
        } catch (error) {
          this.logger.error(`${event.type} handler failed: ${String(error)}`);
        }
      }),
    );
  }
}
