import { Logger } from '@nestjs/common';
import type { FastifyInstance } from 'fastify';

/**
 * With TRUST_PROXY unset, every client behind a proxy shares the proxy's
 * address, and so one rate-limit bucket. Say so, once, the first time a
 * request arrives through something that looks like a proxy.
 */
export function warnOnUntrustedProxy(fastify: FastifyInstance): void {
  let warned = false;
  fastify.addHook('onRequest', (request, _reply, done) => {
    if (!warned && request.headers['x-forwarded-for'] !== undefined) {
      warned = true;
      new Logger('RateLimit').warn(
        `a request from ${request.ip} carries X-Forwarded-For, but TRUST_PROXY is unset: ` +
          `the header is ignored and every client behind that proxy shares one rate-limit bucket. ` +
          `If ${request.ip} is your proxy, set TRUST_PROXY=${request.ip}.`,
      );
    }
    done();
  });
}
