import { Injectable, Logger } from '@nestjs/common';
import type { RealtimeDomainEvent, RealtimeEventPayload } from '@orch/contracts';

/**
 * Everything a module announces after its write has committed: the same names
 * and payloads the realtime gateway pushes to the workspace's room.
 */
export type DomainEvent = {
  [E in RealtimeDomainEvent]: { type: E; workspaceId: string; payload: RealtimeEventPayload<E> };
}[RealtimeDomainEvent];

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

  publish(event: DomainEvent): void {
    for (const handler of this.handlers) {
      try {
        const result = handler(event);
        if (result instanceof Promise) {
          result.catch((error: unknown) =>
            this.logger.error(`${event.type} handler failed: ${String(error)}`),
          );
        }
      } catch (error) {
        this.logger.error(`${event.type} handler failed: ${String(error)}`);
      }
    }
  }
}
