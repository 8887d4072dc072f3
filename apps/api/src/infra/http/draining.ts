import type { FastifyInstance } from 'fastify';

const draining = new WeakSet<FastifyInstance>();

/**
 * While the app shuts down, every response says `Connection: close`, so Node closes each
 * keep-alive socket right after the response a client is waiting for, and the client opens a
 * new connection for its next request (to another instance once this one stops listening).
 * Without it the sockets stay open between requests until close() ends them as idle, and a
 * client that reuses one at that moment sees "other side closed" for a request the server
 * never read (HTTP/1.1's keep-alive race). The race is narrowed, not gone: a socket idle for
 * the whole shutdown is still closed as idle.
 */
export function registerDraining(fastify: FastifyInstance): void {
  fastify.addHook('onSend', (_request, reply, payload, done) => {
    if (draining.has(fastify)) void reply.header('connection', 'close');
    done(null, payload);
  });
}

export function startDraining(fastify: FastifyInstance): void {
  draining.add(fastify);
}
