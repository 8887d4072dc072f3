import type { FastifyInstance } from 'fastify';
import { CachedBody } from './cached-body.js';

/** The payload that means "304, no body": replaced by nothing before it is written. */
const NOT_MODIFIED = Buffer.alloc(0);
/**
 * Fastify writes whatever a reply serializer returns; its type says string, but a
 * Buffer is written as is (and needs no UTF-8 encoding or length scan per request).
 */
type Serializer = (payload: unknown) => string;
const sendBytes = ((body: CachedBody<unknown>) => body.bytes) as unknown as Serializer;
const sendNothing = (() => NOT_MODIFIED) as unknown as Serializer;

/**
 * Cached bodies go out as stored: a handler that returns a CachedBody has its
 * bytes written without serialisation, with its strong ETag and
 * `Cache-Control: private, no-cache` (a browser keeps the answer and
 * revalidates it on every use). A GET or HEAD whose If-None-Match names the
 * current tag gets 304 with no body: a poll that finds nothing new costs no
 * serialisation and, with the entry current, no database round trip. Nothing
 * here runs for other payloads beyond one `instanceof` and one comparison.
 */
export function registerConditionalGet(fastify: FastifyInstance): void {
  fastify.addHook('preSerialization', (request, reply, payload, done) => {
    if (!(payload instanceof CachedBody)) return done(null, payload);
    const body = payload as CachedBody<unknown>;
    if (body.etag !== null) {
      void reply.header('etag', body.etag);
      void reply.header('cache-control', 'private, no-cache');
      const method = request.method;
      if (
        reply.statusCode === 200 &&
        (method === 'GET' || method === 'HEAD') &&
        matches(request.headers['if-none-match'], body.etag)
      ) {
        void reply.code(304);
        reply.removeHeader('content-type');
        reply.serializer(sendNothing);
        return done(null, payload);
      }
    }
    reply.serializer(sendBytes);
    done(null, payload);
  });
  fastify.addHook('onSend', (_request, _reply, payload, done) => {
    done(null, payload === NOT_MODIFIED ? null : payload);
  });
}

/** `"<hash>.br"` / `"<hash>.gzip"`: the tag of a compressed answer (compression.ts). */
const ENCODED = /\.(br|gzip)"$/;

/**
 * If-None-Match (RFC 9110 13.1.2): `*`, or a list of entity tags compared
 * weakly (a `W/` prefix is ignored), each also as the tag of a compressed
 * answer of the same bytes (an encoding suffix is ignored).
 */
export function matches(header: string | undefined, etag: string): boolean {
  if (header === undefined) return false;
  if (header === etag) return true;
  if (header.trim() === '*') return true;
  for (const candidate of header.split(',')) {
    const tag = candidate.trim();
    const strong = tag.startsWith('W/') ? tag.slice(2) : tag;
    if (strong === etag || strong.replace(ENCODED, '"') === etag) return true;
  }
  return false;
}
