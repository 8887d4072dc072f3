import { io, type Socket } from 'socket.io-client';

import {
  type ClientToServerEvents,
  type ConnectionRejectedPayload,
  type HandshakeErrorData,
  REALTIME_PATH,
  type RealtimeDomainEvent,
  type RealtimeEventPayload,
  type ServerToClientEvents,
} from '@orch/contracts';

export type WorkspaceSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

export type LiveState =
  | { status: 'connecting' }
  | { status: 'live' }
  | { status: 'reconnecting' }
  | { status: 'offline' }
  /** Over a connection limit: retried after `retryInMs`, polling meanwhile. */
  | { status: 'rejected'; detail: ConnectionRejectedPayload; retryInMs: number }
  /** Refused for a reason retrying won't change (token, membership). */
  | { status: 'refused'; detail: HandshakeErrorData };

/** Reconnect backoff: 1 s doubling up to 30 s, each delay jittered by ±50 %. */
export const RECONNECT = { delayMs: 1_000, delayMaxMs: 30_000, jitter: 0.5 } as const;

/** The wait before retrying after `connection_rejected`: the server's hint plus 0-100 % jitter. */
export function rejectedRetryDelay(retryAfterMs: number, random: number = Math.random()): number {
  return Math.round(retryAfterMs * (1 + random));
}

/**
 * One socket per open workspace: websocket transport (no sticky sessions needed behind
 * several instances), reconnect with exponential backoff and jitter (socket.io's manager),
 * the app-level heartbeat answered. Over a connection limit the server says
 * `connection_rejected` and disconnects: the client shows the reason and comes back after
 * `retryAfterMs` (jittered, so rejected clients don't return in step).
 */
export function connectWorkspace(
  workspaceId: string,
  token: string,
  onState: (state: LiveState) => void,
): WorkspaceSocket {
  const socket: WorkspaceSocket = io({
    path: REALTIME_PATH,
    transports: ['websocket'],
    auth: { token, workspaceId },
    reconnectionDelay: RECONNECT.delayMs,
    reconnectionDelayMax: RECONNECT.delayMaxMs,
    randomizationFactor: RECONNECT.jitter,
  });
  let retry: ReturnType<typeof setTimeout> | undefined;
  let rejected = false;
  const offline = () => typeof navigator !== 'undefined' && navigator.onLine === false;
  const retryLater = (delayMs: number) => {
    clearTimeout(retry);
    retry = setTimeout(() => {
      rejected = false;
      socket.io.reconnection(true);
      socket.connect();
    }, delayMs);
  };

  onState(offline() ? { status: 'offline' } : { status: 'connecting' });
  socket.on('connect', () => {
    if (!rejected) onState({ status: 'live' });
  });
  socket.on('heartbeat', ({ seq }) => socket.emit('heartbeat_response', { seq }));
  socket.on('connection_rejected', (detail) => {
    rejected = true;
    socket.io.reconnection(false);
    const retryInMs = rejectedRetryDelay(detail.retryAfterMs);
    onState({ status: 'rejected', detail, retryInMs });
    retryLater(retryInMs);
  });
  socket.on('connect_error', (error: Error & { data?: HandshakeErrorData }) => {
    if (error.data) {
      onState({ status: 'refused', detail: error.data });
      socket.io.reconnection(false);
    } else {
      onState(offline() ? { status: 'offline' } : { status: 'reconnecting' });
    }
  });
  socket.on('disconnect', (reason) => {
    // A rejection stays on screen until its retry; our own close is not an outage.
    if (rejected || reason === 'io client disconnect') return;
    onState(offline() ? { status: 'offline' } : { status: 'reconnecting' });
  });
  // The server is going away (a deploy): it disconnects us itself, which socket.io does not
  // retry, so come back after the pause it asks for, jittered across clients.
  socket.on('server_shutdown', ({ retryAfterMs }) => {
    onState({ status: 'reconnecting' });
    retryLater(rejectedRetryDelay(retryAfterMs));
  });
  const onOffline = () => onState({ status: 'offline' });
  const onOnline = () => {
    if (!socket.connected && !rejected) onState({ status: 'reconnecting' });
  };
  window.addEventListener('offline', onOffline);
  window.addEventListener('online', onOnline);

  const close = socket.close.bind(socket);
  socket.close = () => {
    clearTimeout(retry);
    window.removeEventListener('offline', onOffline);
    window.removeEventListener('online', onOnline);
    return close();
  };
  return socket;
}

/** Typed `socket.on` for one domain event (socket.io's overloads can't follow a generic name). */
export function onDomainEvent<E extends RealtimeDomainEvent>(
  socket: WorkspaceSocket,
  event: E,
  handler: (payload: RealtimeEventPayload<E>) => void,
): void {
  (socket.on as (name: string, listener: (payload: RealtimeEventPayload<E>) => void) => void)(
    event,
    handler,
  );
}
