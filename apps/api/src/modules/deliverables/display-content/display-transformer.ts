import type { DisplayContent } from '@orch/contracts';

export interface TransformInput {
  workspaceId: string;
  title: string;
  markdown: string;
}

/**
 * The port: turns a deliverable's markdown into its display form. Adapters
 * call a provider (or simulate one); the caller owns caching, concurrency and
 * persistence. `version` changes whenever the output could change (adapter,
 * model, prompt), which makes every stored result stale.
 */
export interface DisplayTransformer {
  readonly provider: string;
  readonly model: string;
  readonly version: string;
  /**
   * Rejects with TransformFailedError on any failure (timeout, bad reply, empty
   * output), or with the error `onProviderCall` rejected with.
   */
  transform(input: TransformInput, options: TransformOptions): Promise<DisplayContent>;
}

export interface TransformOptions {
  /** Aborts the transformation (the caller's deadline). */
  signal: AbortSignal;
  /**
   * Awaited right before every request to the provider (retries included);
   * rejects, and so stops the transformation, when no call may be made.
   */
  onProviderCall: () => Promise<void>;
}

export const DISPLAY_TRANSFORMER = Symbol('DisplayTransformer');

/** What went wrong, for a log line or a stored `last_error`. */
export function failureReason(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export class TransformFailedError extends Error {
  /** Worth another attempt within the same transformation (a 429, a 5xx, a network error). */
  readonly retryable: boolean;

  constructor(message: string, options: { retryable?: boolean; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.name = 'TransformFailedError';
    this.retryable = options.retryable ?? false;
  }
}
