import type { AppSocket } from './realtime-socket.js';

/** Closes the engine.io connection now, dropping its send queue, and the TCP socket with it. */
export function forceClose(socket: AppSocket): void {
  try {
    socket.conn.close(true);
    const raw = (socket.conn.transport as unknown as { socket?: { terminate?: () => void } })
      .socket;
    raw?.terminate?.();
  } catch {
    // already closed
  }
}
