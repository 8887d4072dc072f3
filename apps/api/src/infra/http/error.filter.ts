import {
  type ArgumentsHost,
  Catch,
  type ExceptionFilter,
  HttpException,
  HttpStatus,
  Logger,
} from '@nestjs/common';
import { ErrorCode, type ErrorResponse, type FieldError } from '@orch/contracts';
import type { FastifyReply } from 'fastify';
import { QueryFailedError } from 'typeorm';
import { DomainException } from '../../core/domain.exception.js';
import { isDatabaseUnavailable } from '../database/database-unavailable.js';
import { CODE_STATUS } from './error-status.js';

const REASON: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Entity',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
};

/** Postgres errors a client can cause, by SQLSTATE. Anything else is a 500. */
const PG_CLIENT_ERRORS: Record<string, { status: number; code: ErrorCode; message: string }> = {
  '23505': { status: 409, code: ErrorCode.Conflict, message: 'That already exists' },
  '23503': { status: 409, code: ErrorCode.Conflict, message: 'A referenced record does not exist' },
  '22P02': {
    status: 400,
    code: ErrorCode.ValidationFailed,
    message: 'A value has the wrong format',
  },
  '22001': { status: 400, code: ErrorCode.ValidationFailed, message: 'A value is too long' },
  '23502': {
    status: 400,
    code: ErrorCode.ValidationFailed,
    message: 'A required value is missing',
  },
  '22008': { status: 400, code: ErrorCode.ValidationFailed, message: 'A date is out of range' },
};

/** How long a client should wait before retrying a 503 (the database was unreachable). */
const RETRY_AFTER_SECONDS = 1;

/**
 * The one place where errors become HTTP: every body has the contract's
 * `{ statusCode, error, message, code?, details? }` shape.
 */
@Catch()
export class ErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('ErrorFilter');

  catch(exception: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http') throw exception;
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    const body = this.toBody(exception);
    if (body.code === ErrorCode.ServiceUnavailable) {
      // An outage fails every request the same way: one line each, no stack.
      this.logger.warn(`database unavailable: ${describe(exception)}`);
      void reply.header('retry-after', String(RETRY_AFTER_SECONDS));
    } else if (body.statusCode >= 500) {
      this.logger.error(
        exception instanceof Error ? (exception.stack ?? exception.message) : String(exception),
      );
    }
    void reply
      .status(body.statusCode)
      .header('content-type', 'application/json; charset=utf-8')
      .send(body);
  }

  private toBody(exception: unknown): ErrorResponse {
    if (exception instanceof DomainException) {
      return errorBody(
        CODE_STATUS[exception.code],
        exception.message,
        exception.code,
        exception.details,
      );
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const response = exception.getResponse();
      const message =
        typeof response === 'string'
          ? response
          : typeof response === 'object' && response !== null && 'message' in response
            ? String((response as { message: unknown }).message)
            : exception.message;
      const retainedCode =
        typeof response === 'object' && response !== null && 'code' in response
          ? (response as { code: ErrorCode }).code
          : undefined;
      return errorBody(status, message, retainedCode ?? defaultCode(status));
    }
    if (exception instanceof QueryFailedError) {
      const sqlState = (exception.driverError as { code?: string } | undefined)?.code;
      const known = sqlState ? PG_CLIENT_ERRORS[sqlState] : undefined;
      if (known) return errorBody(known.status, known.message, known.code);
    }
    if (isDatabaseUnavailable(exception)) {
      return errorBody(
        503,
        'The database is unavailable; try again shortly',
        ErrorCode.ServiceUnavailable,
      );
    }
    // Fastify's own errors (bad JSON, body too large, wrong content type) carry a 4xx statusCode.
    const fastifyStatus = (exception as { statusCode?: unknown } | null)?.statusCode;
    if (typeof fastifyStatus === 'number' && fastifyStatus >= 400 && fastifyStatus < 500) {
      const message = exception instanceof Error ? exception.message : 'Bad request';
      return errorBody(fastifyStatus, message, defaultCode(fastifyStatus));
    }
    return errorBody(500, 'Something went wrong on our side', ErrorCode.Internal);
  }
}

function describe(exception: unknown): string {
  return exception instanceof Error ? exception.message : String(exception);
}

export function errorBody(
  statusCode: number,
  message: string,
  code?: ErrorCode,
  details?: FieldError[],
): ErrorResponse {
  return {
    statusCode,
    error: REASON[statusCode] ?? (HttpStatus[statusCode] as string | undefined) ?? 'Error',
    message,
    ...(code ? { code } : {}),
    ...(details ? { details } : {}),
  };
}

function defaultCode(status: number): ErrorCode | undefined {
  switch (status) {
    case 400:
      return ErrorCode.ValidationFailed;
    case 401:
      return ErrorCode.Unauthenticated;
    case 404:
      return ErrorCode.NotFound;
    case 409:
      return ErrorCode.Conflict;
    case 429:
      return ErrorCode.RateLimited;
    default:
      return status >= 500 ? ErrorCode.Internal : undefined;
  }
}
