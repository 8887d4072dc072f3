import { type BeforeApplicationShutdown, Logger } from '@nestjs/common';
import {
  type OnGatewayConnection,
  type OnGatewayDisconnect,
  type OnGatewayInit,
  WebSocketGateway,
  WebSocketServer,
} from '@nestjs/websockets';
import {
  type ClientToServerEvents,
  type ConnectionRejectedReason,
  type HandshakeErrorData,
  REALTIME_PATH,
  type RealtimeStats,
  type ServerToClientEvents,
} from '@orch/contracts';
import { createAdapter } from '@socket.io/redis-adapter';
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Server } from 'socket.io';
import { AppConfig } from '../../infra/config/app-config.js';
import { DomainEvents, isRealtimeEvent } from '../../infra/events/domain-events.js';
import { RedisConnection } from '../../infra/redis/redis.connection.js';
import { TokenService } from '../auth/token.service.js';
import { MembershipService } from '../workspaces/membership.service.js';
import {
  type ConnectionLimiter,
  LocalConnectionLimiter,
  RedisConnectionLimiter,
} from './connection-limiter.js';
import { type AppSocket, ConnectionRegistry, type SocketData } from './connection-registry.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const SHUTDOWN_RETRY_AFTER_MS = 1_000;
const SHUTDOWN_FLUSH_MS = 1_000;
export const roomOf = (workspaceId: string) => `workspace:${workspaceId}`;

type AppServer = Server<
  ClientToServerEvents,
  ServerToClientEvents,
  Record<string, never>,
  SocketData
>;

/**
 * The only place that touches the socket server. Handshake: token and
 * membership (refused with a reason), then a connection slot (or
 * `connection_rejected`), then the workspace's room. Domain events published
 * by other modules are pushed to their workspace's room; with Redis the
 * adapter carries them to every instance.
 */
@WebSocketGateway({ path: REALTIME_PATH })
export class RealtimeGateway
  implements
    OnGatewayInit<AppServer>,
    OnGatewayConnection<AppSocket>,
    OnGatewayDisconnect<AppSocket>,
    BeforeApplicationShutdown
{
  @WebSocketServer() private server!: AppServer;
  private readonly logger = new Logger('Realtime');
  readonly instanceId = randomUUID();
  readonly registry = new ConnectionRegistry();
  readonly limiter: ConnectionLimiter;
  private heartbeat: NodeJS.Timeout | undefined;
  private unsubscribe: (() => void) | undefined;
  private seq = 0;
  private readonly adapterClients: Redis[] = [];
  private readonly counters = {
    rejected: { workspace_limit: 0, global_limit: 0 } as Record<ConnectionRejectedReason, number>,
    heartbeatDisconnects: 0,
    backlogDisconnects: 0,
  };

  constructor(
    private readonly config: AppConfig,
    private readonly tokens: TokenService,
    private readonly membership: MembershipService,
    private readonly events: DomainEvents,
    private readonly redis: RedisConnection,
  ) {
    const limits = {
      perWorkspace: config.realtime.maxPerWorkspace,
      total: config.realtime.maxTotal,
    };
    this.limiter = redis.client
      ? new RedisConnectionLimiter(
          redis.client,
          limits,
          this.instanceId,
          config.realtime.instanceTtlMs,
        )
      : new LocalConnectionLimiter(limits);
  }

  afterInit(server: AppServer): void {
    server.use((socket, next) => {
      this.authenticate(socket).then(
        () => next(),
        (error: Error) => next(error),
      );
    });
    if (this.redis.client) {
      // The adapter needs a connection of its own to subscribe on, and an offline queue.
      const pub = this.redis.client.duplicate({ enableOfflineQueue: true });
      const sub = this.redis.client.duplicate({ enableOfflineQueue: true });
      this.adapterClients.push(pub, sub);
      for (const client of [pub, sub]) client.on('error', () => undefined); // RedisConnection logs outages
      server.adapter(createAdapter(pub, sub, { key: 'orch:socket.io' }));
    }
    this.heartbeat = setInterval(() => this.tick(), this.config.realtime.heartbeatMs);
    this.heartbeat.unref();
    this.unsubscribe = this.events.subscribe((event) => {
      if (!isRealtimeEvent(event)) return;
      // Typed per event by the DomainEvent union; socket.io's emit signature can't follow it.
      (this.server.to(roomOf(event.workspaceId)).emit as (e: string, p: unknown) => boolean)(
        event.type,
        event.payload,
      );
    });
  }

  async handleConnection(socket: AppSocket): Promise<void> {
    const { workspaceId } = socket.data;
    const slot = await this.limiter.acquire(workspaceId);
    if (!slot.ok) {
      this.counters.rejected[slot.reason] += 1;
      socket.emit('connection_rejected', {
        reason: slot.reason,
        limit: slot.limit,
        retryAfterMs: this.config.realtime.heartbeatMs,
      });
      socket.disconnect(true);
      return;
    }
    if (!socket.connected) {
      // Gone while the slot was being taken.
      await this.limiter.release(workspaceId);
      return;
    }
    const entry = this.registry.add(socket, this.config.realtime.messagesPerMinute);
    await socket.join(roomOf(workspaceId));
    socket.onAny((event: string, ...args: unknown[]) =>
      this.onMessage(entry.socket.id, event, args),
    );
  }

  async handleDisconnect(socket: AppSocket): Promise<void> {
    const entry = this.registry.remove(socket.id);
    if (entry) {
      socket.offAny();
      await this.limiter.release(entry.workspaceId);
    }
  }

  async stats(): Promise<RealtimeStats> {
    const counts = await this.limiter.counts();
    return {
      instanceId: this.instanceId,
      local: this.registry.size,
      total: counts.total,
      perWorkspace: counts.perWorkspace,
      limits: {
        perWorkspace: this.config.realtime.maxPerWorkspace,
        total: this.config.realtime.maxTotal,
      },
      rejected: { ...this.counters.rejected },
      heartbeatDisconnects: this.counters.heartbeatDisconnects,
      backlogDisconnects: this.counters.backlogDisconnects,
    };
  }

  /** SIGTERM: tell every client, close its socket, give its slot back. */
  async beforeApplicationShutdown(): Promise<void> {
    clearInterval(this.heartbeat);
    this.unsubscribe?.();
    const sockets = [...this.registry.all()].map((entry) => entry.socket);
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
    // Let the goodbye and the disconnect packet go out (bounded), then close what is left:
    // a client that stopped reading must not hold the shutdown for ws's 30 s close timeout.
    const timer = new AbortController();
    await Promise.race([
      Promise.all(closed),
      sleep(SHUTDOWN_FLUSH_MS, undefined, { signal: timer.signal }).catch(() => undefined),
    ]);
    timer.abort();
    for (const socket of sockets) forceClose(socket);
    await this.limiter.close();
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all(
      this.adapterClients.map((client) => client.quit().catch(() => client.disconnect())),
    );
  }

  private async authenticate(socket: AppSocket): Promise<void> {
    const auth = (socket.handshake.auth ?? {}) as Record<string, unknown>;
    const { token, workspaceId } = auth;
    if (typeof token !== 'string' || typeof workspaceId !== 'string' || !UUID.test(workspaceId)) {
      throw handshakeError(
        'BAD_HANDSHAKE',
        'auth must be { token, workspaceId } with a UUID workspaceId',
      );
    }
    let userId: string;
    try {
      userId = (await this.tokens.verify(token)).userId;
    } catch {
      throw handshakeError('UNAUTHENTICATED', 'The token is invalid or has expired');
    }
    const access = await this.membership.resolve('workspace', workspaceId.toLowerCase(), userId);
    if (!access) throw handshakeError('WORKSPACE_NOT_FOUND', 'workspace not found');
    socket.data = { userId, workspaceId: access.workspaceId };
  }

  /** Every client message: rate-limited, validated; a bad one gets an error event, never a crash. */
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

  /**
   * One interval for every socket: drop clients that missed too many
   * heartbeats or stopped reading (send backlog over the bound), refill
   * message budgets, send the next heartbeat.
   */
  private tick(): void {
    const { heartbeatMisses, maxBacklog, messagesPerMinute, heartbeatMs } = this.config.realtime;
    // Fractional: a short heartbeat interval must not raise the per-minute budget.
    const refill = (messagesPerMinute * heartbeatMs) / 60_000;
    const at = new Date().toISOString();
    for (const entry of this.registry.all()) {
      const socket = entry.socket;
      const backlog =
        (socket.conn as unknown as { writeBuffer?: unknown[] }).writeBuffer?.length ?? 0;
      if (backlog > maxBacklog) {
        this.counters.backlogDisconnects += 1;
        socket.disconnect(true);
        forceClose(socket); // its queue goes with it, not after ws's close timeout
        continue;
      }
      if (entry.awaitingSeq !== undefined) {
        entry.missed += 1;
        if (entry.missed >= heartbeatMisses) {
          this.counters.heartbeatDisconnects += 1;
          socket.disconnect(true);
          forceClose(socket);
          continue;
        }
      }
      entry.messageBudget = Math.min(messagesPerMinute, entry.messageBudget + refill);
      this.seq += 1;
      entry.awaitingSeq = this.seq;
      socket.emit('heartbeat', { seq: this.seq, at });
    }
  }
}

/** Closes the engine.io connection now, dropping its send queue, and the TCP socket with it. */
function forceClose(socket: AppSocket): void {
  try {
    socket.conn.close(true);
    const raw = (socket.conn.transport as unknown as { socket?: { terminate?: () => void } })
      .socket;
    raw?.terminate?.();
  } catch {
    // already closed
  }
}

function handshakeError(code: HandshakeErrorData['code'], message: string): Error {
  const error = new Error(message) as Error & { data: HandshakeErrorData };
  error.data = { code, message };
  return error;
}
