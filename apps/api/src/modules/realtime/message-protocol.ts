import { Logger } from '@nestjs/common';
import type { ConnectionEntry, ConnectionRegistry } from './connection-registry.js';
import type { AppSocket } from './realtime-socket.js';

/**
 * What a client may send: only `heartbeat_response { seq }`. Every message is
 * rate-limited by the connection's budget (which the heartbeat refills) and
 * validated; a bad one gets an `error` event, never a crash.
 */
export class MessageProtocol {
  private readonly logger = new Logger('Realtime');

  constructor(private readonly registry: ConnectionRegistry) {}

  /** Starts handling the messages of an admitted socket. */
  attach(entry: ConnectionEntry): void {
    entry.socket.onAny((event: string, ...args: unknown[]) =>
      this.onMessage(entry.socket.id, event, args),
    );
  }

  detach(socket: AppSocket): void {
    socket.offAny();
  }

  private onMessage(socketId: string, event: string, args: unknown[]): void {
    const entry = this.registry.get(socketId);
    if (!entry) return;
    try {
      const payload = args[0] as { seq?: unknown } | undefined;
      // The answer to the heartbeat in flight is the protocol, at most one per interval:
      // it never spends the budget, so a client that flooded can still prove it is alive.
      if (
        event === 'heartbeat_response' &&
        entry.awaitingSeq !== undefined &&
        typeof payload === 'object' &&
        payload !== null &&
        payload.seq === entry.awaitingSeq
      ) {
        entry.awaitingSeq = undefined;
        entry.missed = 0;
        return;
      }
      if (entry.messageBudget < 1) {
        entry.socket.emit('error', {
          code: 'RATE_LIMITED',
          message: 'Too many messages; slow down',
        });
        return;
      }
      entry.messageBudget -= 1;
      if (event !== 'heartbeat_response') {
        entry.socket.emit('error', {
          code: 'BAD_MESSAGE',
          message: `Unknown event ${JSON.stringify(event).slice(0, 80)}`,
        });
        return;
      }
      if (typeof payload !== 'object' || payload === null || !Number.isInteger(payload.seq)) {
        entry.socket.emit('error', {
          code: 'BAD_MESSAGE',
          message: 'heartbeat_response needs { seq: integer }',
        });
        return;
      }
      // A well-formed answer to an older heartbeat: late, and harmless.
    } catch (error) {
      this.logger.warn(`bad message from ${socketId}: ${String(error)}`);
    }
  }
}
