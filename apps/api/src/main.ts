import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { startServer } from './bootstrap.js';
import { AppConfig, ConfigError } from './infra/config/app-config.js';

async function main(): Promise<void> {
  const logger = new Logger('Main');
  const startedAt = performance.now();
  let config: AppConfig;
  try {
    config = AppConfig.fromProcessEnv();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
  const timings: Record<string, number> = { config: Math.round(performance.now() - startedAt) };
  const server = await startServer(config, timings);
  timings.total = Math.round(performance.now() - startedAt);
  logger.log(
    `startup: ${Object.entries(timings)
      .map(([step, ms]) => `${step} ${ms} ms`)
      .join(', ')}`,
  );
  logger.log(`ready at ${server.url}  (API ${server.url}/api, docs ${server.url}/api/docs)`);
  if (config.demo.seed) logger.log(`demo login: ${config.demo.email} / ${config.demo.password}`);

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.log(`${signal}: shutting down`);
    const force = setTimeout(() => {
      logger.error(`shutdown took longer than ${config.shutdownTimeoutMs} ms; exiting`);
      process.exit(1);
    }, config.shutdownTimeoutMs);
    force.unref();
    server.close().then(
      () => {
        logger.log('stopped');
        process.exit(0);
      },
      (error: unknown) => {
        logger.error(`shutdown failed: ${String(error)}`);
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exit(1);
});
