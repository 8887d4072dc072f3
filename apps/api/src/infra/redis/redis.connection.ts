import { Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { Redis } from 'ioredis';
import { AppConfig } from '../config/app-config.js';

/**
 * The one Redis command connection of the process, when REDIS_URL is set.
 * Commands fail fast while Redis is down (no offline queue): callers fall back
 * and the client reconnects by itself with capped backoff. Up/down changes are
 * logged once each, not per failed command.
 */
@Injectable()
export class RedisConnection implements OnApplicationShutdown {
  private readonly logger = new Logger('Redis');
  readonly client: Redis | undefined;
  private up = false;

  constructor(config: AppConfig) {
    if (!config.redisUrl) return;
    this.client = new Redis(config.redisUrl, {
      lazyConnect: false,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      connectTimeout: 2_000,
      retryStrategy: (attempt) => Math.min(100 * 2 ** attempt, 5_000),
    });
    this.client.on('ready', () => {
      if (!this.up) this.logger.log(`connected to ${redactedUrl(config.redisUrl!)}`);
      this.up = true;
    });
    this.client.on('error', (error: Error) => {
      if (this.up)
        this.logger.error(`Redis is unreachable (${error.message}); falling back until it returns`);
      this.up = false;
    });
  }

  get isUp(): boolean {
    return this.up && this.client?.status === 'ready';
  }

  async onApplicationShutdown(): Promise<void> {
    await this.client?.quit().catch(() => this.client?.disconnect());
  }
}

export function redactedUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'redis';
  }
}
