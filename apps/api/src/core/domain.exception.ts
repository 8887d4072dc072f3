import { ErrorCode, type FieldError } from '@orch/contracts';

/**
 * What domain code throws: a stable code, one sentence, and for bad input the
 * fields at fault. It knows nothing of HTTP; the error filter alone maps codes
 * to statuses (infra/http/error-status.ts).
 */
export class DomainException extends Error {
  /**
   * How many were constructed in this process: a success path must construct none (an
   * exception captures a stack trace, microseconds each); success-path.spec.ts holds every
   * route to it.
   */
  static constructed = 0;

  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: FieldError[],
  ) {
    super(message);
    this.name = 'DomainException';
    DomainException.constructed += 1;
  }

  static notFound(code: ErrorCode, what: string): DomainException {
    return new DomainException(code, `${what} not found`);
  }

  /** Bad input, one entry per field: `Invalid request: a, b` like the validation pipe's. */
  static invalid(details: FieldError[]): DomainException {
    return new DomainException(
      ErrorCode.ValidationFailed,
      `Invalid request: ${details.map((d) => d.field).join(', ')}`,
      details,
    );
  }

  /** One bad field with one message. */
  static invalidField(field: string, message: string): DomainException {
    return DomainException.invalid([{ field, messages: [message] }]);
  }
}
