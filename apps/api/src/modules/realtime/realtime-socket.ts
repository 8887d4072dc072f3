import type { ClientToServerEvents, ServerToClientEvents } from '@orch/contracts';
import type { Server, Socket } from 'socket.io';

/** What the handshake leaves on every admitted socket. */
export interface SocketData {
  userId: string;
  workspaceId: string;
}

export type AppSocket = Socket<
  ClientToServerEvents,
  ServerToClientEvents,
  Record<string, never>,
  SocketData
>;

export type AppServer = Server<
  ClientToServerEvents,
  ServerToClientEvents,
  Record<string, never>,
  SocketData
>;

/** The room of a workspace's sockets: admission joins it, the fan-out emits to it. */
export const roomOf = (workspaceId: string) => `workspace:${workspaceId}`;
