import type { BeforeApplicationShutdown } from '@nestjs/common';
import {
  type OnGatewayConnection,
  type OnGatewayDisconnect,
  type OnGatewayInit,
  WebSocketGateway,
  WebSocketServer,
} from '@nestjs/websockets';
import { REALTIME_PATH, type RealtimeStats } from '@orch/contracts';
import { randomUUID } from 'node:crypto';
import { AppConfig } from '../../infra/config/app-config.js';
import { DomainEvents } from '../../infra/events/domain-events.js';
import { FigureProviders } from '../../infra/metrics/figure-providers.js';
import { RedisConnection } from '../../infra/redis/redis.connection.js';
import { TokenService } from '../auth/token.service.js';
import { MembershipService } from '../workspaces/membership.service.js';
import { ConnectionAdmission } from './connection-admission.js';
import { ConnectionRegistry } from './connection-registry.js';
import { CrossInstanceAdapter } from './cross-instance-adapter.js';
import { DomainEventFanOut } from './domain-event-fan-out.js';
import { HandshakeAuth } from './handshake-auth.js';
import { Heartbeat } from './heartbeat.js';
import type { ConnectionLimiter } from './limits/connection-limiter.js';
import { createConnectionLimiter } from './limits/create-connection-limiter.js';
import { MessageProtocol } from './message-protocol.js';
import type { AppServer, AppSocket } from './realtime-socket.js';
import { disconnectAll } from './shutdown.js';

/**
 * The only place that touches the socket server, and only to compose its
 * parts: the handshake (token and membership), admission (a connection slot,
 * the registry, the workspace's room), the message protocol, the heartbeat,
 * the fan-out of domain events, the Redis adapter, and shutdown. The parts are
 * plain classes built here rather than Nest providers, so the order in which
 * they start and stop is written down in one place: the hooks below.
 */
@WebSocketGateway({ path: REALTIME_PATH })
export class RealtimeGateway
  implements
    OnGatewayInit<AppServer>,
    OnGatewayConnection<AppSocket>,
    OnGatewayDisconnect<AppSocket>,
    BeforeApplicationShutdown
{
  /** Set by Nest before afterInit, which hands the same server to the parts. */
  @WebSocketServer() private server!: AppServer;
  readonly instanceId = randomUUID();
  readonly registry = new ConnectionRegistry();
  readonly limiter: ConnectionLimiter;
  private readonly handshake: HandshakeAuth;
  private readonly admission: ConnectionAdmission;
  private readonly protocol: MessageProtocol;
  private readonly heartbeat: Heartbeat;
  private readonly fanOut: DomainEventFanOut;
  private readonly adapter: CrossInstanceAdapter;

  constructor(
    private readonly config: AppConfig,
    tokens: TokenService,
    membership: MembershipService,
    events: DomainEvents,
    redis: RedisConnection,
    figures: FigureProviders,
  ) {
    const settings = config.realtime;
    this.limiter = createConnectionLimiter({
      redis: redis.client,
      limits: { perWorkspace: settings.maxPerWorkspace, total: settings.maxTotal },
      instanceId: this.instanceId,
      instanceTtlMs: settings.instanceTtlMs,
    });
    this.handshake = new HandshakeAuth(tokens, membership);
    this.admission = new ConnectionAdmission(this.limiter, this.registry, {
      messagesPerMinute: settings.messagesPerMinute,
      retryAfterMs: settings.heartbeatMs,
    });
    this.protocol = new MessageProtocol(this.registry);
    this.heartbeat = new Heartbeat(this.registry, settings);
    this.fanOut = new DomainEventFanOut(events);
    this.adapter = new CrossInstanceAdapter(redis);
    // What a member may see about their workspace's live connections.
    figures.register({
      name: 'realtime',
      workspace: async (workspaceId) => ({
        connections: (await this.limiter.counts()).perWorkspace[workspaceId] ?? 0,
        limit: settings.maxPerWorkspace,
      }),
    });
  }

  afterInit(server: AppServer): void {
    this.handshake.attach(server);
    this.adapter.attach(server);
    this.heartbeat.start();
    this.fanOut.attach(server);
  }

  async handleConnection(socket: AppSocket): Promise<void> {
    const entry = await this.admission.admit(socket);
    if (entry) this.protocol.attach(entry);
  }

  async handleDisconnect(socket: AppSocket): Promise<void> {
    const entry = this.registry.remove(socket.id);
    if (entry) {
      this.protocol.detach(socket);
      await this.admission.release(entry);
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
      rejected: { ...this.admission.rejected },
      heartbeatDisconnects: this.heartbeat.disconnects.heartbeat,
      backlogDisconnects: this.heartbeat.disconnects.backlog,
    };
  }

  /** SIGTERM: tell every client, close its socket, give its slot back. */
  async beforeApplicationShutdown(): Promise<void> {
    this.heartbeat.stop();
    this.fanOut.detach();
    await disconnectAll([...this.registry.all()].map((entry) => entry.socket));
    await this.limiter.close();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.adapter.close();
  }
}
