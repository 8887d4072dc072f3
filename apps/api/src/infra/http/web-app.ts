import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { errorBody } from './error.filter.js';
import { ErrorCode } from '@orch/contracts';

/**
 * Serves the built web app from the API's port: hashed assets with a long
 * cache, and index.html (never cached) for a browser's page navigation
 * (a GET that accepts text/html, to a path that is not a file) so the
 * client-side router can take it. Everything else that matches nothing is a
 * 404 in the API's error format: unknown /api and /socket.io paths, a missing
 * asset (`/assets/gone.js`, `/favicon.png`), and any request that does not
 * ask for HTML (a script's fetch of a page route gets no HTML with status 200).
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
    if (!isPageNavigation(path, request.headers.accept)) {
      return reply.status(404).send(errorBody(404, `Cannot GET ${path}`, ErrorCode.NotFound));
    }
    return reply.header('cache-control', 'no-cache').sendFile('index.html');
  });
  return true;
}

/** The last path segment has an extension: a file, which @fastify/static would have served. */
const FILE = /\/[^/]*\.[A-Za-z0-9]+$/;

/** A browser loading a page of the client-side router (not an API call, a file or a script). */
export function isPageNavigation(path: string, accept: string | undefined): boolean {
  if (path === '/api' || path.startsWith('/api/') || path.startsWith('/socket.io')) return false;
  if (FILE.test(path)) return false;
  return accept !== undefined && accept.includes('text/html');
}
