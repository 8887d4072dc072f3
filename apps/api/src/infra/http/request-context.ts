import { AsyncLocalStorage } from 'node:async_hooks';
import type { FastifyInstance } from 'fastify';

/**
 * What one request knows about itself, wherever the code runs: the database
 * round trips it made and the time they took (filled in by QueryAccounting),
 * and its per-request batchers.
 */
export interface RequestContext {
  startedAt: number;
  queries: number;
  /**
   * Wall-clock time during which at least one of the request's statements was
   * running: parallel statements count once, so db <= app always holds.
   */
  dbMs: number;
  /** Statements of this request running now, and since when the first of them has. */
  dbActive: number;
  dbActiveSince: number;
  loaders: Map<string, unknown>;
}

const storage = new AsyncLocalStorage<RequestContext>();

export function currentRequest(): RequestContext | undefined {
  return storage.getStore();
}

/** For work outside an HTTP request that should be accounted the same way (tests, jobs). */
export function runInRequestContext<T>(work: () => T): T {
  return storage.run(newContext(), work);
}

function newContext(): RequestContext {
  return {
    startedAt: performance.now(),
    queries: 0,
    dbMs: 0,
    dbActive: 0,
    dbActiveSince: 0,
    loaders: new Map(),
  };
}

declare module 'fastify' {
  interface FastifyRequest {
    context?: RequestContext;
  }
}

/**
 * Enters the context in `onRequest`, so everything after it (guards, pipes,
 * handlers, TypeORM) runs inside it, and reports on every response:
 * `X-Request-Id` (request-log.ts), `X-DB-Queries: <n>` and
 * `Server-Timing: db;dur=<ms>, app;dur=<ms>`.
 */
export function registerRequestContext(fastify: FastifyInstance): void {
  fastify.addHook('onRequest', (request, _reply, done) => {
    const context = newContext();
    request.context = context;
    storage.run(context, done);
  });
  fastify.addHook('onSend', (request, reply, payload, done) => {
    const context = request.context;
    if (context) {
      const appMs = performance.now() - context.startedAt;
      void reply.header('x-request-id', request.id);
      void reply.header('x-db-queries', String(context.queries));
      void reply.header(
        'server-timing',
        `db;dur=${context.dbMs.toFixed(2)}, app;dur=${appMs.toFixed(2)}`,
      );
    }
    done(null, payload);
  });
}
