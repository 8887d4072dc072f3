import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

import { vi } from 'vitest';

export interface RecordedRequest {
  method: string;
  path: string;
  body: unknown;
}

export type Handler = (
  request: RecordedRequest,
) => { status: number; body: unknown } | Promise<{ status: number; body: unknown }>;

export interface TestApi {
  /** Every request the app made, in order. */
  requests: RecordedRequest[];
  close(): Promise<void>;
}

/**
 * A real HTTP server on a loopback port that answers the app's requests with `handler`,
 * and records them. The app's api client is pointed at it (VITE_API_BASE_URL), so the
 * code under test goes through fetch, JSON and the error format as in the browser.
 */
export async function startTestApi(handler: Handler): Promise<TestApi> {
  const requests: RecordedRequest[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let text = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (text += chunk));
    const respond = async () => {
      const url = new URL(req.url ?? '/', 'http://localhost');
      const recorded: RecordedRequest = {
        method: req.method ?? 'GET',
        path: `${url.pathname.replace(/^\/api/, '')}${url.search}`,
        body: text ? (JSON.parse(text) as unknown) : undefined,
      };
      requests.push(recorded);
      const answer = await handler(recorded);
      res.writeHead(answer.status, {
        'content-type': 'application/json',
        'access-control-allow-origin': '*',
        'access-control-allow-headers': '*',
        'access-control-allow-methods': '*',
      });
      res.end(JSON.stringify(answer.body));
    };
    req.on('end', () => void respond());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  vi.stubEnv('VITE_API_BASE_URL', `http://127.0.0.1:${port}/api`);
  return {
    requests,
    close: () =>
      new Promise<void>((resolve, reject) => {
        vi.unstubAllEnvs();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

/** The API's error body for a validation failure (see the contract's ErrorResponse). */
export function validationError(field: string, message: string) {
  return {
    status: 400,
    body: {
      statusCode: 400,
      error: 'Bad Request',
      message: `Invalid request: ${field}`,
      code: 'VALIDATION_FAILED',
      details: [{ field, messages: [message] }],
    },
  };
}
