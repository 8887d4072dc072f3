import { ErrorCode } from '@orch/contracts';
import type { FastifyInstance } from 'fastify';
import { createHash, timingSafeEqual } from 'node:crypto';
import type { PrometheusMetrics } from '../metrics/prometheus.js';
import { errorBody } from './error.filter.js';

const BEARER = /^Bearer\s+(\S+)$/i;
const digest = (s: string) => createHash('sha256').update(s, 'utf8').digest();

/**
 * GET /metrics: the Prometheus exposition of this process, outside /api and outside the
 * user tokens. It answers only `Authorization: Bearer <METRICS_TOKEN>` (compared in
 * constant time); 401 otherwise, and 404 when no METRICS_TOKEN is set (nothing served).
 */
export function registerMetricsEndpoint(
  fastify: FastifyInstance,
  prometheus: PrometheusMetrics,
  token: string | undefined,
): void {
  const expected = token === undefined ? undefined : digest(token);
  fastify.get('/metrics', async (request, reply) => {
    if (!expected) {
      return reply.status(404).send(errorBody(404, 'Cannot GET /metrics', ErrorCode.NotFound));
    }
    const match = BEARER.exec(request.headers.authorization ?? '');
    if (!match || !timingSafeEqual(digest(match[1]!), expected)) {
      return reply
        .status(401)
        .header('www-authenticate', 'Bearer realm="metrics"')
        .send(
          errorBody(
            401,
            'GET /metrics needs Authorization: Bearer <METRICS_TOKEN>',
            ErrorCode.Unauthenticated,
          ),
        );
    }
    const text = await prometheus.metrics();
    return reply.header('content-type', prometheus.contentType).send(text);
  });
}
