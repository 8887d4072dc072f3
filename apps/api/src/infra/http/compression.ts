import compress from '@fastify/compress';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyReply, FastifyRequest, onSendHookHandler } from 'fastify';
import { constants } from 'node:zlib';

/** Answers smaller than this go out as they are: compressing them saves less than it costs. */
export const COMPRESSION_THRESHOLD_BYTES = 1024;
/**
 * Brotli quality 3: measured on the seeded dashboard (26.8 KB) and thinking list (43.9 KB),
 * 126 / 221 µs of CPU for 6.4 KB each, against 380 / 432 µs for 4% less at quality 4 and
 * 30-48 ms at the library default 11 (docs/observability.md).
 */
export const BROTLI_QUALITY = 3;

/**
 * The `compression` optimization: @fastify/compress for JSON answers of 1 KB or more, brotli
 * or gzip as Accept-Encoding asks (brotli first). Only `application/json`: the web app's
 * assets are compressed by nginx, and socket.io (websocket transport, engine.io on the raw
 * server) never passes through Fastify's reply. Must be registered before the routes are.
 *
 * A cached body's strong ETag names its uncompressed bytes; a compressed answer is another
 * representation, so its tag gets the encoding as a suffix (`"<hash>.br"`), and
 * conditional-get.ts accepts either form in If-None-Match.
 */
export async function registerCompression(app: NestFastifyApplication): Promise<void> {
  await app.register(compress, {
    global: true,
    threshold: COMPRESSION_THRESHOLD_BYTES,
    encodings: ['br', 'gzip'],
    customTypes: /^application\/json\b/,
    brotliOptions: { params: { [constants.BROTLI_PARAM_QUALITY]: BROTLI_QUALITY } },
  });
  // After @fastify/compress's own onRoute hook, so this onSend runs after its compression.
  app
    .getHttpAdapter()
    .getInstance()
    .addHook('onRoute', (route) => {
      const declared = route.onSend;
      const existing =
        declared === undefined ? [] : Array.isArray(declared) ? declared : [declared];
      route.onSend = [...existing, tagEncoding as onSendHookHandler];
    });
}

function tagEncoding(
  _request: FastifyRequest,
  reply: FastifyReply,
  payload: unknown,
  done: (error: Error | null, payload?: unknown) => void,
): void {
  const encoding = reply.getHeader('content-encoding');
  const etag = reply.getHeader('etag');
  if (typeof encoding === 'string' && typeof etag === 'string' && etag.endsWith('"')) {
    void reply.header('etag', `${etag.slice(0, -1)}.${encoding}"`);
  }
  done(null, payload);
}
