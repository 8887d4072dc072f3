import type { IncomingMessage } from 'node:http';
import { randomUUID } from 'node:crypto';
import { BlockList, isIP } from 'node:net';
import pino, { type DestinationStream, type Logger, type LoggerOptions } from 'pino';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppConfig } from '../config/app-config.js';

/** LOG_LEVEL (Nest's names) -> pino's. */
const PINO_LEVEL: Record<AppConfig['logLevel'], string> = {
  error: 'error',
  warn: 'warn',
  log: 'info',
  debug: 'debug',
  verbose: 'trace',
};

/** What a request id may be: no spaces, quotes or control characters, 128 at most. */
const REQUEST_ID = /^[A-Za-z0-9._:@/+=-]{1,128}$/;

/** How long a request line may wait in the 4 KB write buffer (createApp flushes it). */
export const LOG_FLUSH_MS = 1_000;

/**
 * The pino logger Fastify logs with: JSON lines on stdout, written asynchronously in
 * batches (sonic-boom), and pretty-printed through pino-pretty when NODE_ENV=development.
 * `stream` replaces stdout (tests read the lines from it).
 */
export function createRequestLogger(config: AppConfig, stream?: DestinationStream): Logger {
  const options: LoggerOptions = {
    level: PINO_LEVEL[config.logLevel],
    base: { pid: process.pid },
    timestamp: pino.stdTimeFunctions.isoTime,
  };
  if (stream) return pino(options, stream);
  if (config.nodeEnv === 'development') {
    return pino({ ...options, transport: { target: 'pino-pretty', options: { colorize: true } } });
  }
  // Lines are written once 4 KB have gathered (one syscall per ~20 request lines, not one
  // each); createApp flushes what waits every LOG_FLUSH_MS, so a quiet instance's lines are
  // out within a second, and when the app closes.
  return pino(options, pino.destination({ dest: 1, sync: false, minLength: 4096 }));
}

/**
 * Fastify's `genReqId`: the caller's `X-Request-Id` when it is well formed and comes from a
 * trusted hop (with TRUST_PROXY set, only a listed proxy; without, the client is connected
 * directly and its id is taken), otherwise a new UUID. The id is for correlating log lines,
 * not for authorisation.
 */
export function requestIdGenerator(
  trustProxy: readonly string[],
): (req: IncomingMessage) => string {
  const trusted = trustedPeers(trustProxy);
  return (req) => {
    const header = req.headers['x-request-id'];
    if (
      typeof header === 'string' &&
      REQUEST_ID.test(header) &&
      trusted(req.socket.remoteAddress)
    ) {
      return header;
    }
    return randomUUID();
  };
}

function trustedPeers(list: readonly string[]): (address: string | undefined) => boolean {
  if (list.length === 0) return () => true;
  const proxies = new BlockList();
  for (const entry of list) {
    const [address, bits] = entry.split('/') as [string, string | undefined];
    const type = isIP(address) === 6 ? 'ipv6' : 'ipv4';
    if (bits === undefined) proxies.addAddress(address, type);
    else proxies.addSubnet(address, Number(bits), type);
  }
  return (address) => {
    if (!address) return false;
    const plain = address.startsWith('::ffff:') ? address.slice(7) : address;
    return proxies.check(plain, isIP(plain) === 6 ? 'ipv6' : 'ipv4');
  };
}

/**
 * One JSON line per response, from the same hook that times it (route-metrics.ts):
 * `{"requestId","method","route","status","ms","dbQueries","msg":"request"}`; at `info`
 * (LOG_LEVEL=log), `error` for a 5xx. Skipped entirely below that level.
 */
export function logResponse(
  request: FastifyRequest,
  reply: FastifyReply,
  route: string,
  ms: number,
  queries: number,
): void {
  const status = reply.statusCode;
  const line = {
    method: request.method,
    route,
    status,
    ms: Math.round(ms * 100) / 100,
    dbQueries: queries,
  };
  if (status >= 500) request.log.error(line, 'request');
  else request.log.info(line, 'request');
}
