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
    server.adapter(createAdapter(publishingSafely(pub), sub, { key: 'orch:socket.io' }));
  }

  async close(): Promise<void> {
    await Promise.all(this.clients.map((client) => client.quit().catch(() => client.disconnect())));
  }
}

/**
 * The adapter publishes fire and forget: it never handles the promise PUBLISH returns. While
 * Redis is down ioredis queues the command and, once its reconnect attempts fail, rejects it,
 * and an unhandled rejection ends the process. So a publish that fails resolves to 0
 * (delivered to no other instance): during an outage a broadcast reaches this instance's
 * sockets only, which the adapter delivers whatever the publish does.
 */
function publishingSafely(client: Redis): Redis {
  const publish = client.publish.bind(client) as (
    channel: string,
    message: string,
  ) => Promise<number>;
  const safe = (channel: string, message: string): Promise<number> =>
    publish(channel, message).catch(() => 0);
  (client as unknown as { publish: typeof safe }).publish = safe;
  return client;
}
