import type { Socket } from 'node:net';
import { ErrorCode, type ErrorResponse } from '@orch/contracts';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { DomainException } from '../../core/domain.exception.js';
import { errorBody } from './error.filter.js';

/**
 * The deepest nesting of arrays and objects a JSON body may have. The deepest contract body
 * is 3 levels (`{ steps: [{ kind, content }] }`); without a bound, a 5,000-level body made
 * class-transformer recurse until the stack overflowed (a 500).
 */
export const JSON_DEPTH_MAX = 16;

/** A lone surrogate (text no UTF-8 can carry) or NUL (which no Postgres text column stores). */
// eslint-disable-next-line no-control-regex -- NUL is exactly what this looks for
const UNSTORABLE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]|\u0000/;

/** What is wrong with a parsed JSON body as a whole, or null. */
export function bodyProblem(value: unknown, maxDepth: number): string | null {
  // Its own stack, no recursion: a body a million levels deep is measured, not a stack overflow.
  const stack: [unknown, number][] = [[value, 1]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    if (depth > maxDepth) {
      return `body must not nest arrays and objects deeper than ${maxDepth} levels`;
    }
    const entries = Array.isArray(node) ? node : Object.entries(node as object).flat();
    for (const child of entries) {
      if (typeof child === 'string') {
        if (UNSTORABLE.test(child)) return 'body must not contain NUL or unpaired surrogates';
      } else if (typeof child === 'object' && child !== null) stack.push([child, depth + 1]);
    }
  }
  return null;
}

/** True when `value` nests deeper than `max` levels. */
export function nestsDeeperThan(value: unknown, max: number): boolean {
  return bodyProblem(value, max)?.includes('deeper') ?? false;
}

/**
 * Refuses, with the contract's 400, a body nested deeper than JSON_DEPTH_MAX or with a string
 * (value or key) holding NUL or an unpaired surrogate: validator.js's isEmail throws on the
 * latter (a 500), and Postgres refuses NUL in text.
 */
export function assertBodyDepth(body: unknown): void {
  if (typeof body !== 'object' || body === null) return;
  const problem = bodyProblem(body, JSON_DEPTH_MAX);
  if (problem) throw DomainException.invalidField('body', problem);
}

/**
 * What the router answers before any route runs: a URL that is not valid percent-encoded
 * UTF-8, or a path segment longer than the router's limit, names no record: 404 in the
 * contract's error format (Fastify's own answer would carry its FST_ code).
 */
export function frameworkErrors(
  _error: FastifyError,
  _request: FastifyRequest,
  reply: FastifyReply,
): void {
  void reply
    .code(404)
    .header('content-type', 'application/json; charset=utf-8')
    .send(
      errorBody(
        404,
        'No such resource: the URL is not valid percent-encoded UTF-8 or a path segment is too long',
        ErrorCode.NotFound,
      ),
    );
}

/**
 * What Node's HTTP parser refuses before Fastify sees a request: a request line and headers
 * over Node's 16 KiB (`--max-http-header-size`), answered 431, or a malformed request, 400;
 * both in the contract's error format instead of Node's bodiless answer.
 */
export function clientErrorHandler(error: Error & { code?: string }, socket: Socket): void {
  if (error.code === 'ECONNRESET' || !socket.writable) {
    socket.destroy();
    return;
  }
  const tooLarge = error.code === 'HPE_HEADER_OVERFLOW';
  const reason = tooLarge ? 'Request Header Fields Too Large' : 'Bad Request';
  const body: ErrorResponse = {
    statusCode: tooLarge ? 431 : 400,
    error: reason,
    message: tooLarge
      ? 'The request line and headers are larger than 16 KiB'
      : 'Malformed HTTP request',
    code: ErrorCode.ValidationFailed,
  };
  const json = JSON.stringify(body);
  socket.end(
    `HTTP/1.1 ${body.statusCode} ${reason}\r\nContent-Type: application/json; charset=utf-8\r\n` +
      `Content-Length: ${Buffer.byteLength(json)}\r\nConnection: close\r\n\r\n${json}`,
  );
}
