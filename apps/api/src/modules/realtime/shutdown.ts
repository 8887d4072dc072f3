import { setTimeout as sleep } from 'node:timers/promises';
import { forceClose } from './force-close.js';
import type { AppSocket } from './realtime-socket.js';

/** What a client is told to wait before reconnecting (to another instance, or this one restarted). */
const SHUTDOWN_RETRY_AFTER_MS = 1_000;
/** How long the goodbyes may take to go out before the connections are closed regardless. */
const SHUTDOWN_FLUSH_MS = 1_000;

/**
 * Graceful shutdown of the sockets: tell every client (`server_shutdown`),
 * disconnect it, let the goodbye and the disconnect packet go out (bounded),
 * then close what is left: a client that stopped reading must not hold the
 * shutdown for ws's 30 s close timeout.
 */
export async function disconnectAll(sockets: readonly AppSocket[]): Promise<void> {
  const closed = sockets.map(
    (socket) =>
      new Promise<void>((resolve) => {
        if (socket.conn.readyState === 'closed') resolve();
        else socket.conn.once('close', () => resolve());
      }),
  );
  for (const socket of sockets) {
    socket.emit('server_shutdown', { retryAfterMs: SHUTDOWN_RETRY_AFTER_MS });
    socket.disconnect(true);
  }
  const timer = new AbortController();
  await Promise.race([
    Promise.all(closed),
    sleep(SHUTDOWN_FLUSH_MS, undefined, { signal: timer.signal }).catch(() => undefined),
  ]);
  timer.abort();
  for (const socket of sockets) forceClose(socket);
}
