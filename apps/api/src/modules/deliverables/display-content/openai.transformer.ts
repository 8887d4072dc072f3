import { Logger } from '@nestjs/common';
import type { DisplayContent } from '@orch/contracts';
import { setTimeout as sleep } from 'node:timers/promises';
import type {
  DisplayTransformer,
  TransformInput,
  TransformOptions,
} from './display-transformer.js';
import { failureReason, TransformFailedError } from './display-transformer.js';
import { transformVersion } from './local.transformer.js';
import { sanitizeHtml } from './render.js';

export const SYSTEM_PROMPT = `You turn a markdown report written by an AI agent into its display form.
Reply with one JSON object and nothing else, of the form
{"html": string, "summary": string, "outline": string[]}:
- html: the report as clean semantic HTML (headings, paragraphs, lists, tables, code), no scripts, no styles, no inline event handlers;
- summary: one plain-text paragraph of at most 60 words saying what the report concludes;
- outline: the report's section headings, in order.`;

export interface OpenAiOptions {
  baseUrl: string;
  apiKey: string | undefined;
  model: string;
  maxRetries: number;
}

const BACKOFF_BASE_MS = 250;
const BACKOFF_MAX_MS = 8_000;

/**
 * Any OpenAI-compatible chat-completions endpoint. Bounded by the caller's
 * signal (AI_TIMEOUT_MS over all attempts); retries 429 and 5xx with
 * exponential backoff and full jitter, honouring Retry-After; anything else,
 * or a reply that isn't the JSON asked for, fails at once.
 */
export class OpenAiTransformer implements DisplayTransformer {
  private readonly logger = new Logger('OpenAiTransformer');
  readonly provider = 'openai';
  readonly model: string;
  readonly version: string;

  constructor(private readonly options: OpenAiOptions) {
    this.model = options.model;
    this.version = transformVersion(this.provider, options.model, SYSTEM_PROMPT);
  }

  async transform(input: TransformInput, options: TransformOptions): Promise<DisplayContent> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.attempt(input, options);
      } catch (error) {
        const failure =
          error instanceof TransformFailedError
            ? error
            : new TransformFailedError(
                `the provider could not be reached: ${failureReason(error)}`,
                {
                  retryable: true,
                  cause: error,
                },
              );
        if (options.signal.aborted) {
          throw new TransformFailedError('the transformation timed out', { cause: error });
        }
        if (!failure.retryable || attempt >= this.options.maxRetries) throw failure;
        const delay = (failure as RetryableError).retryAfterMs ?? backoff(attempt);
        this.logger.debug(`retrying in ${delay} ms: ${failure.message}`);
        try {
          await sleep(delay, undefined, { signal: options.signal });
        } catch {
          throw new TransformFailedError('the transformation timed out while waiting to retry', {
            cause: failure,
          });
        }
      }
    }
  }

  private async attempt(input: TransformInput, options: TransformOptions): Promise<DisplayContent> {
    await options.onProviderCall();
    const response = await fetch(`${this.options.baseUrl}/chat/completions`, {
      method: 'POST',
      signal: options.signal,
      headers: {
        'content-type': 'application/json',
        ...(this.options.apiKey ? { authorization: `Bearer ${this.options.apiKey}` } : {}),
      },
      body: JSON.stringify({
        model: this.options.model,
        temperature: 0,
        response_format: { type: 'json_object' },
        messages: [
          { role: 'system', content: SYSTEM_PROMPT },
          { role: 'user', content: `# ${input.title}\n\n${input.markdown}` },
        ],
      }),
    });
    const text = await response.text();
    if (response.status === 429 || response.status >= 500) {
      throw new RetryableError(
        `the provider answered ${response.status}`,
        retryAfterMs(response.headers.get('retry-after')),
      );
    }
    if (!response.ok) {
      throw new TransformFailedError(
        `the provider refused the request: ${response.status} ${text.slice(0, 200)}`,
      );
    }
    return parseReply(text);
  }
}

class RetryableError extends TransformFailedError {
  constructor(
    message: string,
    readonly retryAfterMs: number | undefined,
  ) {
    super(message, { retryable: true });
  }
}

/** The reply must be the JSON object asked for, with non-empty html. */
export function parseReply(body: string): DisplayContent {
  let content: unknown;
  try {
    const completion = JSON.parse(body) as { choices?: { message?: { content?: unknown } }[] };
    content = completion.choices?.[0]?.message?.content;
  } catch {
    throw new TransformFailedError('the provider reply is not JSON');
  }
  if (typeof content !== 'string' || content.trim() === '') {
    throw new TransformFailedError('the provider reply has no content');
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(content);
  } catch {
    throw new TransformFailedError('the model did not answer with a JSON object');
  }
  const { html, summary, outline } = (parsed ?? {}) as Record<string, unknown>;
  if (typeof html !== 'string' || typeof summary !== 'string') {
    throw new TransformFailedError('the model reply lacks html or summary');
  }
  const clean = sanitizeHtml(html);
  if (clean === '') throw new TransformFailedError('the model produced empty html');
  return {
    html: clean,
    summary: summary.replace(/<[^>]*>/g, '').trim(),
    outline: Array.isArray(outline)
      ? outline.filter((h): h is string => typeof h === 'string')
      : [],
  };
}

/** Seconds or an HTTP date; capped so a provider can't park us for long. */
export function retryAfterMs(header: string | null): number | undefined {
  if (!header || header.trim() === '') return undefined;
  const seconds = Number(header);
  const ms = Number.isFinite(seconds) ? seconds * 1000 : Date.parse(header) - Date.now();
  return Number.isFinite(ms) ? Math.min(Math.max(0, ms), BACKOFF_MAX_MS) : undefined;
}

function backoff(attempt: number): number {
  // full jitter: uniform in [0, base * 2^attempt]
  return Math.round(Math.random() * Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** attempt));
}
