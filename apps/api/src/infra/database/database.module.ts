import { type DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import type { DataSourceOptions, EntitySchema } from 'typeorm';
import { AppConfig } from '../config/app-config.js';
import { DatabaseHealth } from './database.health.js';
import { QueryAccounting } from './query-accounting.js';

// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
export type EntityList = (Function | EntitySchema)[];

export function dataSourceOptions(
  config: AppConfig,
  url: string,
  entities: EntityList,
): DataSourceOptions {
  const { pool } = config;
  return {
    type: 'postgres',
    url,
    entities,
    synchronize: false,
    migrationsRun: false,
    uuidExtension: 'pgcrypto',
    installExtensions: false,
    logging: ['error'],
    poolSize: pool.max,
    connectTimeoutMS: pool.connectTimeoutMs,
    applicationName: 'orchestrator-api',
    extra: {
      idleTimeoutMillis: pool.idleTimeoutMs,
      keepAlive: true,
      statement_timeout: pool.statementTimeoutMs,
      idle_in_transaction_session_timeout: pool.idleInTransactionTimeoutMs,
    },
  };
}

@Module({})
export class DatabaseModule {
  static forRoot(url: string, entities: EntityList): DynamicModule {
    return {
      module: DatabaseModule,
      global: true,
      imports: [
        TypeOrmModule.forRootAsync({
          inject: [AppConfig],
          useFactory: (config: AppConfig) => dataSourceOptions(config, url, entities),
        }),
      ],
      providers: [DatabaseHealth, QueryAccounting],
      exports: [DatabaseHealth, QueryAccounting],
    };
  }
}
