import { conformanceOf } from './openapi-conformance.js';

export interface ApiResponse<T = unknown> {
  status: number;
  headers: Headers;
  body: T;
  /** The raw body text, for byte-level comparisons. */
  text: string;
}

export interface RequestOptions {
  token?: string;
  body?: unknown;
  headers?: Record<string, string>;
}

/**
 * A thin fetch wrapper for tests: real HTTP to the real server. Every answer under /api is
 * checked against the OpenAPI document the server serves (openapi-conformance.ts): an
 * undocumented status, or a body that does not match its documented schema, fails the test.
 */
export class ApiClient {
  constructor(readonly baseUrl: string) {}

  async request<T = unknown>(
    method: string,
    path: string,
    options: RequestOptions = {},
  ): Promise<ApiResponse<T>> {
    const headers: Record<string, string> = { ...options.headers };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    let body: string | undefined;
    if (options.body !== undefined && method !== 'GET' && method !== 'HEAD') {
      headers['content-type'] ??= 'application/json';
      body = typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
    }
    const response = await fetch(`${this.baseUrl}${path}`, { method, headers, body });
    const text = await response.text();
    let parsed: unknown = text;
    if (response.headers.get('content-type')?.includes('application/json') && text.length > 0) {
      parsed = JSON.parse(text);
    }
    const problems = (await conformanceOf(this.baseUrl)).check(
      method,
      path,
      response.status,
      parsed,
      text,
    );
    if (problems && problems.length > 0) {
      throw new Error(`The answer does not match the OpenAPI document:\n${problems.join('\n')}`);
    }
    return { status: response.status, headers: response.headers, body: parsed as T, text };
  }

  get<T = unknown>(path: string, options?: RequestOptions) {
    return this.request<T>('GET', path, options);
  }
  post<T = unknown>(path: string, body?: unknown, options?: RequestOptions) {
    return this.request<T>('POST', path, { ...options, body });
  }
  patch<T = unknown>(path: string, body?: unknown, options?: RequestOptions) {
    return this.request<T>('PATCH', path, { ...options, body });
  }
  delete<T = unknown>(path: string, options?: RequestOptions) {
    return this.request<T>('DELETE', path, options);
  }
}
