import type { ErrorCode, ErrorResponse, FieldError } from '@orch/contracts';

import { clearSession, getAccessToken } from './session';

/** Read per request (cheap), so a test can point the client at its own server. */
function apiBaseUrl(): string {
  return (import.meta.env.VITE_API_BASE_URL ?? '/api').replace(/\/+$/, '');
}

/** An error answer of the API (or a network failure, with `statusCode` 0). */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  readonly statusCode: number;
  /** The HTTP reason phrase, e.g. "Not Found". */
  readonly error: string;
  readonly code: ErrorCode | undefined;
  readonly details: FieldError[];

  constructor(body: ErrorResponse, options?: { cause?: unknown }) {
    super(body.message, options);
    this.statusCode = body.statusCode;
    this.error = body.error;
    this.code = body.code;
    this.details = body.details ?? [];
  }

  get isClientError(): boolean {
    return this.statusCode >= 400 && this.statusCode < 500;
  }
}

export function isApiError(error: unknown): error is ApiError {
  return error instanceof ApiError;
}

function isErrorResponse(body: unknown): body is ErrorResponse {
  if (typeof body !== 'object' || body === null) return false;
  const b = body as Record<string, unknown>;
  return typeof b['statusCode'] === 'number' && typeof b['message'] === 'string';
}

export type QueryParams = Record<string, string | number | boolean | null | undefined>;

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  query?: QueryParams;
  body?: unknown;
  signal?: AbortSignal;
  /**
   * Send the bearer token and treat a 401 as "session over" (default true).
   * Login and register pass false: their 401 means wrong credentials.
   */
  auth?: boolean;
}

function buildUrl(path: string, query: QueryParams | undefined): string {
  const url = `${apiBaseUrl()}${path.startsWith('/') ? path : `/${path}`}`;
  if (!query) return url;
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== null && value !== '') params.set(key, String(value));
  }
  const qs = params.toString();
  return qs ? `${url}?${qs}` : url;
}

async function readBody(response: Response): Promise<unknown> {
  const text = await response.text();
  if (!text) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/**
 * Calls the API and resolves with the parsed JSON body, typed by the caller with the
 * contract's response type. Rejects with an ApiError; on a 401 of an authenticated call
 * the session is cleared, which sends the router to /login.
 */
export async function apiRequest<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const { method = 'GET', query, body, signal, auth = true } = options;
  const headers = new Headers({ Accept: 'application/json' });
  if (body !== undefined) headers.set('Content-Type', 'application/json');
  const token = auth ? getAccessToken() : null;
  if (token) headers.set('Authorization', `Bearer ${token}`);

  let response: Response;
  try {
    response = await fetch(buildUrl(path, query), {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      signal,
    });
  } catch (cause) {
    if (cause instanceof DOMException && cause.name === 'AbortError') throw cause;
    throw new ApiError(
      { statusCode: 0, error: 'Network Error', message: 'Could not reach the server.' },
      { cause },
    );
  }

  const payload = await readBody(response);
  if (response.ok) return payload as T;

  if (response.status === 401 && auth) clearSession('expired');
  throw new ApiError(
    isErrorResponse(payload)
      ? payload
      : {
          statusCode: response.status,
          error: response.statusText || 'Error',
          message: `The server answered ${response.status} ${response.statusText}`.trim() + '.',
        },
  );
}

export const api = {
  get: <T>(path: string, options?: Omit<RequestOptions, 'method' | 'body'>) =>
    apiRequest<T>(path, { ...options, method: 'GET' }),
  post: <T>(path: string, body?: unknown, options?: Omit<RequestOptions, 'method' | 'body'>) =>
    apiRequest<T>(path, { ...options, method: 'POST', body }),
  patch: <T>(path: string, body?: unknown, options?: Omit<RequestOptions, 'method' | 'body'>) =>
    apiRequest<T>(path, { ...options, method: 'PATCH', body }),
  delete: <T>(path: string, options?: Omit<RequestOptions, 'method' | 'body'>) =>
    apiRequest<T>(path, { ...options, method: 'DELETE' }),
};
