import { io, type Socket } from 'socket.io-client';

import {
  type ClientToServerEvents,
  type ConnectionRejectedPayload,
  type HandshakeErrorData,
  REALTIME_PATH,
  type ServerToClientEvents,
} from '@orch/contracts';

export type WorkspaceSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

export type LiveState =
  | { status: 'connecting' }
  | { status: 'live' }
  | { status: 'reconnecting' }
  | { status: 'rejected'; detail: ConnectionRejectedPayload }
  | { status: 'refused'; detail: HandshakeErrorData };

/**
 * One socket per open workspace: websocket transport (no sticky sessions
 * needed behind several instances), reconnect with exponential backoff and
 * jitter, and the app-level heartbeat answered. Over a connection limit the
 * server says `connection_rejected`: the client then waits `retryAfterMs`
 * (with jitter) before trying again instead of hammering it.
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
    reconnectionDelay: 1_000,
    reconnectionDelayMax: 30_000,
    randomizationFactor: 0.5,
  });
  let retry: ReturnType<typeof setTimeout> | undefined;
  onState({ status: 'connecting' });
  socket.on('connect', () => onState({ status: 'live' }));
  socket.on('heartbeat', ({ seq }) => socket.emit('heartbeat_response', { seq }));
  socket.on('connection_rejected', (detail) => {
    onState({ status: 'rejected', detail });
    socket.io.reconnection(false);
    clearTimeout(retry);
    retry = setTimeout(
      () => {
        socket.io.reconnection(true);
        socket.connect();
      },
      detail.retryAfterMs * (1 + Math.random()),
    );
  });
  socket.on('connect_error', (error: Error & { data?: HandshakeErrorData }) => {
    if (error.data) {
      // Refused for a reason retrying won't change (token, membership).
      onState({ status: 'refused', detail: error.data });
      socket.io.reconnection(false);
    } else {
      onState({ status: 'reconnecting' });
    }
  });
  socket.on('disconnect', (reason) => {
    if (reason !== 'io client disconnect') onState({ status: 'reconnecting' });
  });
  // The server is going away (a deploy): it disconnects us itself, which socket.io does not
  // retry, so come back after the pause it asks for, jittered across clients.
  socket.on('server_shutdown', ({ retryAfterMs }) => {
    onState({ status: 'reconnecting' });
    clearTimeout(retry);
    retry = setTimeout(() => socket.connect(), retryAfterMs * (1 + Math.random()));
  });
  const close = socket.close.bind(socket);
  socket.close = () => {
    clearTimeout(retry);
    return close();
  };
  return socket;
}
