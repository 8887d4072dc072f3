import 'reflect-metadata';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { getDataSourceToken } from '@nestjs/typeorm';
import type { DestinationStream } from 'pino';
import type { DataSource } from 'typeorm';
import { createApp } from '../../src/bootstrap.js';
import type { Clock } from '../../src/infra/time/clock.js';
import { AppConfig } from '../../src/infra/config/app-config.js';
import { ApiClient } from './api-client.js';
import { TEST_OPERATOR_EMAIL } from './operator.js';
import { createTestDatabase, type TestDatabase } from './database.js';

export const TEST_JWT_SECRET = 'test-secret-that-is-at-least-32-characters-long';

export interface TestApp {
  app: NestFastifyApplication;
  /** The app's own DataSource: for arranging rows and asserting what was written. */
  db: DataSource;
  database: TestDatabase;
  api: ApiClient;
  baseUrl: string;
  close(): Promise<void>;
}

/**
 * The real application (same createApp as `npm start`) on its own fresh
 * database, listening on a free loopback port.
 */
export async function startTestApp(
  options: { env?: Record<string, string>; clock?: Clock; logStream?: DestinationStream } = {},
): Promise<TestApp> {
  const database = await createTestDatabase();
  const config = AppConfig.from({
    NODE_ENV: 'test',
    LOG_LEVEL: 'error',
    JWT_SECRET: TEST_JWT_SECRET,
    DEMO_SEED: 'false',
    // The account operator(api) signs in as (instance-wide figures, cache cleanup).
    OPERATOR_EMAILS: TEST_OPERATOR_EMAIL,
    WEB_DIST_DIR: '/nonexistent',
    DB_POOL_MAX: '5',
    AI_LOCAL_COST_MS: '0',
    // Limits stay on, raised: the rate-limit tests set their own.
    RATE_LIMIT_MULTIPLIER: '1000',
    // Off unless a test is about it: its background checks would add to the counts others assert.
    GOAL_MONITOR_ENABLED: 'false',
    ...options.env,
  });
  const app = await createApp(config, database.url, {
    clock: options.clock,
    logStream: options.logStream,
  });
  await app.listen(0, '127.0.0.1');
  const address = app.getHttpServer().address();
  if (!address || typeof address === 'string') throw new Error('no port');
  const baseUrl = `http://127.0.0.1:${address.port}`;
  return {
    app,
    db: app.get<DataSource>(getDataSourceToken()),
    database,
    api: new ApiClient(baseUrl),
    baseUrl,
    close: async () => {
      await app.close();
      await database.drop();
    },
  };
}
