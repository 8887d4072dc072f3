import { applyDecorators, type Type } from '@nestjs/common';
import {
  ApiExtraModels,
  ApiHeader,
  ApiProperty,
  ApiResponse,
  ApiSchema,
  getSchemaPath,
} from '@nestjs/swagger';
import type { Page } from '@orch/contracts';
import { ErrorResponseDto } from './error-response.dto.js';

/** What each error status means on any operation; an operation may say more for its own. */
export const ERROR_MEANING: Record<number, string> = {
  400: 'Invalid input: a field, a query parameter, the JSON itself or a cursor (VALIDATION_FAILED with `details` per field, or INVALID_CURSOR)',
  401: 'No valid bearer token (UNAUTHENTICATED)',
  403: 'Only the workspace owner may do this (OWNER_REQUIRED)',
  404: 'No such record, or it is not in a workspace you belong to (the same answer for both)',
  409: 'The request conflicts with the current state',
  413: 'The body is larger than BODY_LIMIT_BYTES (default 1 MiB)',
  415: 'The body is not application/json',
  431: 'The request line and headers are larger than 16 KiB (a query string that long, say)',
  429: 'Over the rate limit of the operation’s tier (RATE_LIMITED, with Retry-After)',
  502: 'The display-content transformation failed (TRANSFORM_FAILED)',
  503: 'A dependency is down',
};

/** Error answers of one operation beyond those its access rule and the rate limiter add. */
export function ApiErrors(...errors: (number | [status: number, description: string])[]) {
  return applyDecorators(
    ...errors.map((e) => {
      const [status, description] = typeof e === 'number' ? [e, ERROR_MEANING[e]] : e;
      return ApiResponse({ status, description, type: ErrorResponseDto });
    }),
  );
}

export interface OkOptions {
  status?: 200 | 201 | 202;
  description: string;
  /**
   * A cached read: the body carries a strong ETag and `If-None-Match` with it answers 304
   * without a body (infra/http/conditional-get.ts).
   */
  conditional?: boolean;
}

/**
 * The success answer of an operation: one response class, or one of several (`anyOf`: an
 * empty page is both an `AgentPage` and an `AgentLitePage`).
 */
export function ApiOk(type: Type<unknown> | Type<unknown>[], options: OkOptions) {
  const status = options.status ?? 200;
  const decorators = [
    Array.isArray(type)
      ? applyDecorators(
          ApiExtraModels(...type),
          ApiResponse({
            status,
            description: options.description,
            schema: { anyOf: type.map((t) => ({ $ref: getSchemaPath(t) })) },
          }),
        )
      : ApiResponse({ status, description: options.description, type }),
  ];
  if (options.conditional) {
    decorators.push(
      ApiHeader({
        name: 'If-None-Match',
        required: false,
        description: 'The ETag of a body you hold: 304 without a body while it is current',
      }),
      ApiResponse({
        status: 304,
        description: 'Not modified: the body named by If-None-Match is still current',
      }),
    );
  }
  return applyDecorators(...decorators);
}

/** No body: 204. */
export function ApiNoContent(description: string) {
  return ApiResponse({ status: 204, description });
}

/** `Page<T>` for one item class, named `<schemaName>` in the document (e.g. `AgentPage`). */
export function pageOf<T>(item: Type<T>, schemaName: string): Type<Page<T>> {
  @ApiSchema({ name: schemaName, description: 'One page of a keyset-paginated list' })
  class PageDto implements Page<T> {
    @ApiProperty({ type: [item] })
    items!: T[];

    @ApiProperty({
      type: String,
      nullable: true,
      description: 'Pass as `cursor` for the next page; null on the last page',
      example: null,
    })
    nextCursor!: string | null;
  }
  Object.defineProperty(PageDto, 'name', { value: `${schemaName}Dto` });
  return PageDto;
}
