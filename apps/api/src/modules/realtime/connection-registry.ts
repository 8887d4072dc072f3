import type { AppSocket } from './realtime-socket.js';

export interface ConnectionEntry {
  socket: AppSocket;
  workspaceId: string;
  userId: string;
  /** The heartbeat sent and not yet answered, if any. */
  awaitingSeq: number | undefined;
  missed: number;
  /** Messages left in the current minute (token bucket refilled per minute). */
  messageBudget: number;
}

/**
 * Everything the gateway keeps per socket, in one place, so "removed on
 * disconnect" is one delete. No per-socket timers: one interval walks the map.
 */
export class ConnectionRegistry {
  private readonly entries = new Map<string, ConnectionEntry>();

  add(socket: AppSocket, messageBudget: number): ConnectionEntry {
    const entry: ConnectionEntry = {
      socket,
      workspaceId: socket.data.workspaceId,
      userId: socket.data.userId,
      awaitingSeq: undefined,
      missed: 0,
      messageBudget,
    };
    this.entries.set(socket.id, entry);
    return entry;
  }

  get(socketId: string): ConnectionEntry | undefined {
    return this.entries.get(socketId);
  }

  remove(socketId: string): ConnectionEntry | undefined {
    const entry = this.entries.get(socketId);
    this.entries.delete(socketId);
    return entry;
  }

  get size(): number {
    return this.entries.size;
  }

  all(): IterableIterator<ConnectionEntry> {
    return this.entries.values();
  }
}
