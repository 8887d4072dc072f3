import type {
  FastifyInstance,
  FastifyReply,
  FastifyRequest,
  HookHandlerDoneFunction,
  onResponseHookHandler,
} from 'fastify';
import { logResponse } from './request-log.js';
import {
  type HttpRouteMetrics,
  type RouteRecorder,
  UNMATCHED_ROUTE,
} from '../metrics/http-metrics.js';

function record(
  recorder: RouteRecorder,
  request: FastifyRequest,
  reply: FastifyReply,
  log: boolean,
): void {
  const context = request.context;
  if (context) {
    const ms = performance.now() - context.startedAt;
    recorder.record(reply.statusCode, ms, context.queries);
    if (log) logResponse(request, reply, recorder.route, ms, context.queries);
  }
}

/**
 * Times (and logs, request-log.ts) every response per route template. Each route gets its own `onResponse` hook when
 * it is registered, holding its recorder, so a request pays one hook call and a few
 * additions: no lookup by URL, no closure, timer or promise per request. Requests that
 * match no route are counted under UNMATCHED_ROUTE by one instance-wide hook. The time is
 * from `onRequest` (the request context) to the last byte handed to the socket.
 * Must be registered before the routes are (createApp does it before app.init()).
 */
export function registerRouteMetrics(
  fastify: FastifyInstance,
  metrics: HttpRouteMetrics,
  logRequests: boolean,
): void {
  // Fixed at start: with LOG_REQUESTS=false or below `info`, no request line is built at all.
  const logger = fastify.log as { isLevelEnabled?(level: string): boolean };
  const log = logRequests && (logger.isLevelEnabled?.('info') ?? true);
  fastify.addHook('onRoute', (route) => {
    const methods = ([] as string[]).concat(route.method);
    const recorders: Record<string, RouteRecorder> = {};
    for (const method of methods) recorders[method] = metrics.recorder(method, route.url);
    const fallback = recorders[methods[0]!]!;
    const hook = (
      request: FastifyRequest,
      reply: FastifyReply,
      done: HookHandlerDoneFunction,
    ): void => {
      record(recorders[request.method] ?? fallback, request, reply, log);
      done();
    };
    const declared = route.onResponse;
    const existing = declared === undefined ? [] : Array.isArray(declared) ? declared : [declared];
    route.onResponse = [...existing, hook as onResponseHookHandler];
  });
  fastify.addHook('onResponse', (request, reply, done: HookHandlerDoneFunction): void => {
    if (request.is404) {
      record(metrics.recorder(request.method, UNMATCHED_ROUTE), request, reply, log);
    }
    done();
  });
}
