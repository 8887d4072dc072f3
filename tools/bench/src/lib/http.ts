import http from 'node:http';

export interface HttpReply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
  /** Client-side time from sending the request to the last byte of the body. */
  ms: number;
}

/** One API instance as the client sees it: its origin and a keep-alive connection pool. */
export class HttpTarget {
  readonly agent: http.Agent;
  token: string | undefined;

  constructor(
    readonly origin: URL,
    maxSockets: number,
  ) {
    this.agent = new http.Agent({ keepAlive: true, maxSockets, maxFreeSockets: maxSockets });
  }

  send(method: string, path: string, body?: unknown, timeoutMs = 30_000): Promise<HttpReply> {
    const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    const headers: http.OutgoingHttpHeaders = { accept: 'application/json' };
    if (this.token) headers.authorization = `Bearer ${this.token}`;
    if (payload) {
      headers['content-type'] = 'application/json';
      headers['content-length'] = payload.length;
    }
    return new Promise<HttpReply>((resolve, reject) => {
      const started = performance.now();
      const request = http.request(
        {
          agent: this.agent,
          host: this.origin.hostname,
          port: this.origin.port,
          method,
          path,
          headers,
        },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('error', reject);
          response.on('end', () =>
            resolve({
              status: response.statusCode ?? 0,
              headers: response.headers,
              body: Buffer.concat(chunks),
              ms: performance.now() - started,
            }),
          );
        },
      );
      request.setTimeout(timeoutMs, () =>
        request.destroy(new Error(`${method} ${path}: no answer within ${timeoutMs} ms`)),
      );
      request.on('error', reject);
      request.end(payload);
    });
  }

  /** Sends and expects a 2xx JSON answer. */
  async json<T>(method: string, path: string, body?: unknown): Promise<T> {
    const reply = await this.send(method, path, body);
    if (reply.status < 200 || reply.status > 299) {
      throw new Error(
        `${method} ${path} answered ${reply.status}: ${reply.body.toString('utf8').slice(0, 500)}`,
      );
    }
    return JSON.parse(reply.body.toString('utf8')) as T;
  }

  close(): void {
    this.agent.destroy();
  }
}

/** The `db` and `app` durations of a `Server-Timing: db;dur=1.23, app;dur=4.56` header. */
export function serverTiming(
  headers: http.IncomingHttpHeaders,
): { db: number; app: number } | undefined {
  const value = headers['server-timing'];
  if (typeof value !== 'string') return undefined;
  const db = /(?:^|,)\s*db;dur=([\d.]+)/.exec(value);
  const app = /(?:^|,)\s*app;dur=([\d.]+)/.exec(value);
  if (!db || !app) return undefined;
  return { db: Number(db[1]), app: Number(app[1]) };
}

export function dbQueries(headers: http.IncomingHttpHeaders): number | undefined {
  const value = headers['x-db-queries'];
  return typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : undefined;
}
