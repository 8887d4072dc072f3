import { createAdapter } from '@socket.io/redis-adapter';
import type { Redis } from 'ioredis';
import type { RedisConnection } from '../../infra/redis/redis.connection.js';
import type { AppServer } from './realtime-socket.js';

/**
 * With Redis, the socket.io Redis adapter: an emit to a room reaches that
 * room's sockets on every instance. It needs connections of its own (one
 * subscribes), which it closes at shutdown. Without Redis, nothing.
 */
export class CrossInstanceAdapter {
  private readonly clients: Redis[] = [];

  constructor(private readonly redis: RedisConnection) {}

  attach(server: AppServer): void {
    if (!this.redis.client) return;
    // The adapter needs a connection of its own to subscribe on, and an offline queue.
    const pub = this.redis.client.duplicate({ enableOfflineQueue: true });
    const sub = this.redis.client.duplicate({ enableOfflineQueue: true });
    this.clients.push(pub, sub);
    for (const client of [pub, sub]) client.on('error', () => undefined); // RedisConnection logs outages
    server.adapter(createAdapter(pub, sub, { key: 'orch:socket.io' }));
  }

  async close(): Promise<void> {
    await Promise.all(this.clients.map((client) => client.quit().catch(() => client.disconnect())));
  }
}
