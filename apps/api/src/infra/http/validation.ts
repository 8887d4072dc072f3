import { CacheableMemory } from '@cacheable/memory';
import {
  type ArgumentMetadata,
  Body as NestBody,
  Query as NestQuery,
  ValidationPipe,
  type ValidationError,
} from '@nestjs/common';
import type { FieldError } from '@orch/contracts';
import { DomainException } from '../../core/domain.exception.js';
import { assertBodyDepth } from './request-limits.js';

function flatten(errors: ValidationError[], parent = ''): FieldError[] {
  return errors.flatMap((error) => {
    const field = parent ? `${parent}.${error.property}` : error.property;
    const own = error.constraints ? [{ field, messages: Object.values(error.constraints) }] : [];
    return [...own, ...flatten(error.children ?? [], field)];
  });
}

/** How many distinct valid query strings are remembered, per pipe (LRU). */
const VALID_QUERIES_MAX = 1_000;

/**
 * The validation pipe, remembering the query strings it has accepted: a
 * polling client asks for the same `?limit=20&view=lite` again and again, and
 * class-transformer plus class-validator cost tens of microseconds for each,
 * more than the rest of a cached read. A query seen before (the same DTO class,
 * the same parameters) gets the instance built the first time, frozen so no
 * handler can change what the next request sees; a query that fails is never
 * remembered, and bodies and path parameters are validated every time.
 */
class QueryRememberingValidationPipe extends ValidationPipe {
  private readonly accepted = new WeakMap<object, CacheableMemory>();

  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    const type = metadata.metatype;
    if (metadata.type === 'body') assertBodyDepth(value);
    if (metadata.type !== 'query' || !type || typeof value !== 'object' || value === null) {
      return super.transform(value, metadata);
    }
    let known = this.accepted.get(type);
    if (!known) {
      known = new CacheableMemory({
        lruSize: VALID_QUERIES_MAX,
        useClone: false,
        storeHashSize: 1,
      });
      this.accepted.set(type, known);
    }
    const key = JSON.stringify(value);
    const hit = known.get<unknown>(key);
    if (hit !== undefined) return hit;
    const dto = Object.freeze(await super.transform(value, metadata)) as unknown;
    known.set(key, dto);
    return dto;
  }
}

/**
 * Whitelisting validation: unknown properties are refused (not silently
 * dropped), types are converted for query strings, every bad field is named,
 * in the same domain error services throw for bad input.
 */
export function createValidationPipe(): ValidationPipe {
  return new QueryRememberingValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    transformOptions: { enableImplicitConversion: false },
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => DomainException.invalid(flatten(errors)),
  });
}

/** One pipe for every route, so a query accepted on one request is remembered for the next. */
const validation = createValidationPipe();

/**
 * The request's input, validated: Nest's `@Body()` and `@Query()` with the
 * validation pipe bound to them, and no pipe on any other parameter. A global
 * pipe (`useGlobalPipes`) runs on every pipeable parameter, the guard-resolved
 * ones too (`@CurrentAccess()`, `@CurrentUser()`), where it has nothing to
 * check, and Nest gives each piped parameter its own chain of promises: with
 * the request context's async hooks that was ~4 µs of a cached read's ~60
 * (docs/hot-path.md). Path parameters are plain strings the guards check
 * (a global pipe returned them unchanged). eslint.config.mjs refuses Nest's
 * own Body and Query in modules/, so no input goes unvalidated.
 */
export const Body = (): ParameterDecorator => NestBody(validation);
export const Query = (): ParameterDecorator => NestQuery(validation);
