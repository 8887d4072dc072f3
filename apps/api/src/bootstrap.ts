import { Logger, type LogLevel } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { SwaggerModule } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import { AppModule, type AppOptions } from './app.module.js';
import type { AppConfig } from './infra/config/app-config.js';
import { withBootstrapLock } from './infra/database/bootstrap-lock.js';
import { EmbeddedPostgres } from './infra/database/embedded-postgres.js';
import { runMigrations } from './infra/database/migrate.js';
import { API_PREFIX } from './infra/http/api-prefix.js';
import { registerConditionalGet } from './infra/http/conditional-get.js';
import { registerCompression } from './infra/http/compression.js';
import { registerDraining, startDraining } from './infra/http/draining.js';
import { registerRequestContext } from './infra/http/request-context.js';
import { registerRouteMetrics } from './infra/http/route-metrics.js';
import { createRequestLogger, LOG_FLUSH_MS, requestIdGenerator } from './infra/http/request-log.js';
import { HttpRouteMetrics } from './infra/metrics/http-metrics.js';
import { ProcessMetrics } from './infra/metrics/process-metrics.js';
import { PrometheusMetrics } from './infra/metrics/prometheus.js';
import { registerMetricsEndpoint } from './infra/http/metrics-endpoint.js';
import { buildOpenApiDocument } from './infra/http/openapi/document.js';
import { clientErrorHandler, frameworkErrors } from './infra/http/request-limits.js';
import { warnOnUntrustedProxy } from './infra/http/proxy-warning.js';
import { RealtimeIoAdapter } from './modules/realtime/realtime.io-adapter.js';
import { serveWebApp } from './infra/http/web-app.js';

const LOG_LEVELS: LogLevel[] = ['fatal', 'error', 'warn', 'log', 'debug', 'verbose'];

export function logLevels(level: AppConfig['logLevel']): LogLevel[] {
  return LOG_LEVELS.slice(0, LOG_LEVELS.indexOf(level) + 1);
}

/** The Nest application on Fastify, configured but not listening. Tests build it the same way. */
export async function createApp(
  config: AppConfig,
  databaseUrl: string,
  options: AppOptions = {},
): Promise<NestFastifyApplication> {
  const requestLogger = createRequestLogger(config, options.logStream);
  const adapter = new FastifyAdapter({
    // One JSON line per request, written by the route hooks (request-log.ts), not Fastify's two.
    loggerInstance: requestLogger,
    disableRequestLogging: true,
    genReqId: requestIdGenerator(config.trustProxy),
    requestIdLogLabel: 'requestId',
    bodyLimit: config.bodyLimitBytes,
    // X-Forwarded-For is believed only from the proxies TRUST_PROXY lists (never `true`:
    // that would trust the client-supplied leftmost address).
    trustProxy: config.trustProxy.length > 0 ? config.trustProxy : false,
    // On close: stop accepting, end idle keep-alive sockets, let in-flight requests finish.
    forceCloseConnections: 'idle',
    return503OnClosing: true,
    // A malformed URL or an over-long path segment: the contract's 404, not Fastify's body.
    frameworkErrors,
    clientErrorHandler,
  });
  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule.forRoot(config, databaseUrl, options),
    adapter,
    {
      logger: logLevels(config.logLevel),
      abortOnError: false,
    },
  );
  registerRequestContext(app.getHttpAdapter().getInstance());
  const flushing = setInterval(() => requestLogger.flush(), LOG_FLUSH_MS).unref();
  app
    .getHttpAdapter()
    .getInstance()
    .addHook('onClose', (_instance, done) => {
      clearInterval(flushing);
      requestLogger.flush(() => done());
    });
  registerRouteMetrics(
    app.getHttpAdapter().getInstance(),
    app.get(HttpRouteMetrics),
    config.logRequests,
  );
  registerConditionalGet(app.getHttpAdapter().getInstance());
  if (config.optimizations.has('compression')) await registerCompression(app);
  registerDraining(app.getHttpAdapter().getInstance());
  if (config.trustProxy.length === 0) warnOnUntrustedProxy(app.getHttpAdapter().getInstance());
  app.setGlobalPrefix(API_PREFIX);
  app.useWebSocketAdapter(
    new RealtimeIoAdapter(app, {
      transports: ['websocket'],
      connectTimeout: config.realtime.handshakeTimeoutMs,
      maxHttpBufferSize: 16 * 1024,
      serveClient: false,
    }),
  );

  SwaggerModule.setup('api/docs', app, () => buildOpenApiDocument(app), {
    jsonDocumentUrl: 'api/docs/openapi.json',
  });

  await app.init();
  registerMetricsEndpoint(
    app.getHttpAdapter().getInstance(),
    app.get(PrometheusMetrics),
    config.metricsToken,
  );
  const served = await serveWebApp(app.getHttpAdapter().getInstance(), config.webDistDir);
  if (!served)
    new Logger('Bootstrap').warn(`No web build in ${config.webDistDir}: serving the API only`);
  return app;
}

export interface RunningServer {
  app: NestFastifyApplication;
  url: string;
  databaseUrl: string;
  timings: Record<string, number>;
  /** Graceful: stop accepting, finish in-flight requests, close the pool, stop the embedded database. */
  close(): Promise<void>;
}

/** Everything `npm start` does: database, migrations, seed, listen; each step timed. */
export async function startServer(
  config: AppConfig,
  timings: Record<string, number> = {},
): Promise<RunningServer> {
  const logger = new Logger('Bootstrap');
  const time = async <T>(step: string, work: () => Promise<T>): Promise<T> => {
    const started = performance.now();
    try {
      return await work();
    } finally {
      timings[step] = Math.round(performance.now() - started);
    }
  };

  const embedded = config.databaseUrl
    ? undefined
    : new EmbeddedPostgres({ dir: config.embeddedPg.dir, port: config.embeddedPg.port });
  const databaseUrl = config.databaseUrl ?? (await time('database start', () => embedded!.start()));
  try {
    await withBootstrapLock(databaseUrl, async () => {
      const { applied } = await time('migrations', () => runMigrations(databaseUrl));
      if (applied.length > 0) logger.log(`applied migrations: ${applied.join(', ')}`);
      if (config.demo.seed) {
        await time('seed', async () => {
          const { seedDemo } = await import('./seed/seed.js');
          const db = await new DataSource({ type: 'postgres', url: databaseUrl }).initialize();
          try {
            const result = await seedDemo(db, config.demo);
            if (result.created) logger.log(`seeded the demo workspace for ${config.demo.email}`);
          } finally {
            await db.destroy();
          }
        });
      }
    });
    const app = await time('nest init', () => createApp(config, databaseUrl));
    await time('listen', () => app.listen(config.port, config.host));
    // The same object: main.ts adds `config` and `total` to it before it logs the report.
    app.get(ProcessMetrics).startup = timings;
    const address = app.getHttpServer().address();
    const port = typeof address === 'object' && address ? address.port : config.port;
    const host =
      config.host === '0.0.0.0' || config.host === '127.0.0.1' || config.host === '::'
        ? 'localhost'
        : config.host;
    return {
      app,
      url: `http://${host}:${port}`,
      databaseUrl,
      timings,
      close: async () => {
        // Fastify closes idle keep-alive sockets once, at the start of close(); a socket
        // still busy then would hold close() open after its response. Keep sweeping.
        const server = app.getHttpServer();
        startDraining(app.getHttpAdapter().getInstance());
        const sweep = setInterval(() => server.closeIdleConnections(), 100);
        try {
          await app.close();
        } finally {
          clearInterval(sweep);
        }
        await embedded?.stop();
      },
    };
  } catch (error) {
    await embedded?.stop().catch(() => undefined);
    throw error;
  }
}
