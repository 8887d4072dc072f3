import type { ConnectionRejectedReason } from '@orch/contracts';
import type { ConnectionEntry, ConnectionRegistry } from './connection-registry.js';
import type { ConnectionLimiter } from './limits/connection-limiter.js';
import { type AppSocket, roomOf } from './realtime-socket.js';

export interface AdmissionSettings {
  /** The message budget a new connection starts with. */
  messagesPerMinute: number;
  /** What a rejected client is told to wait before trying again. */
  retryAfterMs: number;
}

/**
 * A socket that passed the handshake gets a connection slot, or
 * `connection_rejected` and a disconnect; with a slot it is registered and
 * joins its workspace's room. Leaving gives the slot back.
 */
export class ConnectionAdmission {
  readonly rejected: Record<ConnectionRejectedReason, number> = {
    workspace_limit: 0,
    global_limit: 0,
  };

  constructor(
    private readonly limiter: ConnectionLimiter,
    private readonly registry: ConnectionRegistry,
    private readonly settings: AdmissionSettings,
  ) {}

  /** The socket's registry entry, or undefined when it was refused or left meanwhile. */
  async admit(socket: AppSocket): Promise<ConnectionEntry | undefined> {
    const { workspaceId } = socket.data;
    const slot = await this.limiter.acquire(workspaceId);
    if (!slot.ok) {
      this.rejected[slot.reason] += 1;
      socket.emit('connection_rejected', {
        reason: slot.reason,
        limit: slot.limit,
        retryAfterMs: this.settings.retryAfterMs,
      });
      socket.disconnect(true);
      return undefined;
    }
    if (!socket.connected) {
      // Gone while the slot was being taken.
      await this.limiter.release(workspaceId);
      return undefined;
    }
    const entry = this.registry.add(socket, this.settings.messagesPerMinute);
    await socket.join(roomOf(workspaceId));
    return entry;
  }

  /** Gives back the slot of a socket that was admitted (its entry is already out of the registry). */
  async release(entry: ConnectionEntry): Promise<void> {
    await this.limiter.release(entry.workspaceId);
  }
}
