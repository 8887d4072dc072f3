import type { Agent } from './agents.js';
import type { DisplayedDeliverable } from './deliverables.js';
import type { Goal } from './goals.js';
import type { QuotaNotification } from './quota.js';
import type { ThinkingStep } from './thinking.js';
import type { Workspace } from './workspaces.js';

/** socket.io on the API's port, path /socket.io, websocket transport. */
export const REALTIME_PATH = '/socket.io';

/** Sent in the handshake: `io(url, { path, transports: ['websocket'], auth })`. */
export interface RealtimeAuth {
  token: string;
  workspaceId: string;
}

export interface HeartbeatPayload {
  seq: number;
  /** Server time, ISO 8601. */
  at: string;
}

export interface HeartbeatResponsePayload {
  seq: number;
}

export type ConnectionRejectedReason = 'workspace_limit' | 'global_limit';

export interface ConnectionRejectedPayload {
  reason: ConnectionRejectedReason;
  limit: number;
  retryAfterMs: number;
}

/** Why a handshake was refused (in the `connect_error` error's `data`). */
export interface HandshakeErrorData {
  code: 'UNAUTHENTICATED' | 'WORKSPACE_NOT_FOUND' | 'BAD_HANDSHAKE';
  message: string;
}

export interface RealtimeErrorPayload {
  code: 'BAD_MESSAGE' | 'RATE_LIMITED';
  message: string;
}

export interface ServerShutdownPayload {
  /** Reconnect (to any instance) after about this long. */
  retryAfterMs: number;
}

/** Every event the server pushes to a workspace's room, with its payload. */
export interface ServerToClientEvents {
  'workspace.updated': (payload: { workspace: Workspace }) => void;
  'agent.updated': (payload: { agent: Agent }) => void;
  'deliverable.created': (payload: { deliverable: DisplayedDeliverable }) => void;
  /** An edit, or the display queue having stored its display content (then `ready`). */
  'deliverable.updated': (payload: { deliverable: DisplayedDeliverable }) => void;
  'thinking.step': (payload: {
    workspaceId: string;
    processId: string;
    step: ThinkingStep;
  }) => void;
  'goal.updated': (payload: { goal: Goal }) => void;
  'quota.notification': (payload: { notification: QuotaNotification }) => void;
  heartbeat: (payload: HeartbeatPayload) => void;
  connection_rejected: (payload: ConnectionRejectedPayload) => void;
  server_shutdown: (payload: ServerShutdownPayload) => void;
  error: (payload: RealtimeErrorPayload) => void;
}

export interface ClientToServerEvents {
  heartbeat_response: (payload: HeartbeatResponsePayload) => void;
}

/** The domain events pushed to clients (everything but the connection housekeeping). */
export type RealtimeDomainEvent =
  | 'workspace.updated'
  | 'agent.updated'
  | 'deliverable.created'
  | 'deliverable.updated'
  | 'thinking.step'
  | 'goal.updated'
  | 'quota.notification';

export type RealtimeEventPayload<E extends RealtimeDomainEvent> = Parameters<
  ServerToClientEvents[E]
>[0];

export interface RealtimeStats {
  instanceId: string;
  /** Sockets connected to this instance. */
  local: number;
  /** Across every instance when Redis is configured, else equal to local. */
  total: number;
  perWorkspace: Record<string, number>;
  limits: { perWorkspace: number; total: number };
  rejected: Record<ConnectionRejectedReason, number>;
  heartbeatDisconnects: number;
  backlogDisconnects: number;
}
