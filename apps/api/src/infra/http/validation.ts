import { ValidationPipe, type ValidationError } from '@nestjs/common';
import type { FieldError } from '@orch/contracts';
import { DomainException } from '../../core/domain.exception.js';

function flatten(errors: ValidationError[], parent = ''): FieldError[] {
  return errors.flatMap((error) => {
    const field = parent ? `${parent}.${error.property}` : error.property;
    const own = error.constraints ? [{ field, messages: Object.values(error.constraints) }] : [];
    return [...own, ...flatten(error.children ?? [], field)];
  });
}

/**
 * Whitelisting validation: unknown properties are refused (not silently
 * dropped), types are converted for query strings, every bad field is named,
 * in the same domain error services throw for bad input.
 */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    transformOptions: { enableImplicitConversion: false },
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => DomainException.invalid(flatten(errors)),
  });
}
