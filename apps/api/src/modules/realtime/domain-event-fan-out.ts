import { type DomainEvents, isRealtimeEvent } from '../../infra/events/domain-events.js';
import { type AppServer, roomOf } from './realtime-socket.js';

/**
 * Pushes every realtime domain event other modules publish to its
 * workspace's room; with the Redis adapter the push reaches the room's
 * sockets on every instance.
 */
export class DomainEventFanOut {
  private unsubscribe: (() => void) | undefined;

  constructor(private readonly events: DomainEvents) {}

  attach(server: AppServer): void {
    this.unsubscribe = this.events.subscribe((event) => {
      if (!isRealtimeEvent(event)) return;
      // Typed per event by the DomainEvent union; socket.io's emit signature can't follow it.
      (server.to(roomOf(event.workspaceId)).emit as (e: string, p: unknown) => boolean)(
        event.type,
        event.payload,
      );
    });
  }

  detach(): void {
    this.unsubscribe?.();
  }
}
