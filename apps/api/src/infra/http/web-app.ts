import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { errorBody } from './error.filter.js';
import { ErrorCode } from '@orch/contracts';

/**
 * Serves the built web app from the API's port: hashed assets with a long
 * cache, and index.html (never cached) for every other non-API path so the
 * client-side router can take it. Unknown /api paths stay JSON 404s.
 */
export async function serveWebApp(fastify: FastifyInstance, dir: string): Promise<boolean> {
  if (!existsSync(join(dir, 'index.html'))) return false;
  await fastify.register(fastifyStatic, {
    root: dir,
    wildcard: false,
    index: false,
    setHeaders: (reply, path) => {
      void reply.header(
        'cache-control',
        path.startsWith(join(dir, 'assets')) ? 'public, max-age=31536000, immutable' : 'no-cache',
      );
    },
  });
  fastify.get('/*', (request, reply) => {
    const path = request.url.split('?')[0] ?? '';
    if (path === '/api' || path.startsWith('/api/') || path.startsWith('/socket.io')) {
      return reply.status(404).send(errorBody(404, `Cannot GET ${path}`, ErrorCode.NotFound));
    }
    return reply.header('cache-control', 'no-cache').sendFile('index.html');
  });
  return true;
}
