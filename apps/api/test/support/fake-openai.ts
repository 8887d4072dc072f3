import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A real HTTP server on 127.0.0.1 that speaks the OpenAI chat-completions
 * protocol (POST /v1/chat/completions), for the `openai` display transformer:
 * it checks every request, counts calls (in total, per deliverable title, and
 * how many were in flight at once) and answers a JSON display form derived
 * from the markdown, or whatever the test scripted next.
 */

/** One scripted answer. Without any field: a good completion. */
export interface FakeReply {
  /** The HTTP status (default 200). */
  status?: number;
  /** A Retry-After header, verbatim (e.g. '1' or an HTTP date). */
  retryAfter?: string;
  /** How long to wait before answering; default: the fake's `delayMs`. */
  delayMs?: number;
  /** Never answer: the client has to give up. */
  hang?: boolean;
  /** The raw response body instead of a completion (e.g. 'not json'). */
  body?: string;
  /** The message content instead of the JSON display form (e.g. prose). */
  content?: string;
  /** The html inside the JSON display form instead of the one derived from the markdown. */
  html?: string;
}

export interface FakeCall {
  /** 1-based, in arrival order. */
  n: number;
  title: string;
  markdown: string;
  model: string;
  authorization: string | undefined;
  /** performance.now() when the request arrived and when it was answered or dropped. */
  startedAt: number;
  endedAt: number | undefined;
  /** The status answered; undefined while in flight or when the client gave up. */
  status: number | undefined;
  /** The client closed the connection before an answer. */
  abandoned: boolean;
  /** The html the fake put in its reply (unsanitised), when it answered a display form. */
  replyHtml: string | undefined;
}

export interface FakeOpenAi {
  /** `http://127.0.0.1:<port>/v1`: what AI_BASE_URL takes. */
  readonly baseUrl: string;
  /** Every request received, in arrival order (invalid ones included). */
  readonly calls: readonly FakeCall[];
  /** Requests that broke the protocol (wrong path, model, messages or response_format). */
  readonly problems: readonly string[];
  /** Requests being answered right now, and the most there ever were at once since reset(). */
  readonly inFlight: number;
  readonly maxInFlight: number;
  /** The delay of every answer not scripted otherwise (default 0). */
  delayMs: number;
  callsFor(title: string): number;
  /** Scripts the next answers, whatever the deliverable. */
  enqueue(...replies: FakeReply[]): void;
  /** Scripts the next answers for one deliverable title (before the shared queue). */
  enqueueFor(title: string, ...replies: FakeReply[]): void;
  /** Resolves once nothing is in flight (hung requests count until the client drops them). */
  waitForIdle(timeoutMs?: number): Promise<void>;
  /** Forgets calls, scripts and the in-flight maximum; delay back to 0. Answers hung requests with 503. */
  reset(): void;
  close(): Promise<void>;
}

export interface DisplayReply {
  html: string;
  summary: string;
  outline: string[];
}

/**
 * The display form the fake's "model" makes: headings and paragraphs, line by
 * line, with markdown links as anchors. Raw HTML in the markdown goes through
 * verbatim, as a careless model would, so the API's sanitiser has work to do.
 */
export function fakeDisplay(title: string, markdown: string): DisplayReply {
  const html: string[] = [];
  const outline: string[] = [];
  let summary = '';
  for (const line of markdown.split('\n').map((l) => l.trim())) {
    if (!line) continue;
    const heading = /^(#{1,6})\s+(.*)$/.exec(line);
    if (heading) {
      const level = heading[1].length;
      outline.push(heading[2]);
      html.push(`<h${level}>${heading[2]}</h${level}>`);
      continue;
    }
    summary ||= line;
    html.push(`<p>${line.replace(/\[([^\]]*)\]\(([^)\s]*)\)/g, '<a href="$2">$1</a>')}</p>`);
  }
  return { html: html.join('\n'), summary: summary || title, outline };
}

export async function startFakeOpenAi(): Promise<FakeOpenAi> {
  let calls: FakeCall[] = [];
  let problems: string[] = [];
  let queue: FakeReply[] = [];
  let scripts = new Map<string, FakeReply[]>();
  let inFlight = 0;
  let maxInFlight = 0;
  let hung = new Set<ServerResponse>();
  let idleWaiters: (() => void)[] = [];

  const settle = () => {
    if (inFlight > 0) return;
    const waiters = idleWaiters;
    idleWaiters = [];
    for (const resolve of waiters) resolve();
  };

  const server: Server = createServer((req, res) => {
    void handle(req, res).catch((error: unknown) => {
      problems.push(`handler failed: ${String(error)}`);
      if (!res.headersSent) res.writeHead(500).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  const fake: FakeOpenAi = {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    get calls() {
      return calls;
    },
    get problems() {
      return problems;
    },
    get inFlight() {
      return inFlight;
    },
    get maxInFlight() {
      return maxInFlight;
    },
    delayMs: 0,
    callsFor: (title) => calls.filter((c) => c.title === title).length,
    enqueue: (...replies) => {
      queue.push(...replies);
    },
    enqueueFor: (title, ...replies) => {
      scripts.set(title, [...(scripts.get(title) ?? []), ...replies]);
    },
    waitForIdle: (timeoutMs = 5_000) =>
      new Promise<void>((resolve, reject) => {
        if (inFlight === 0) return resolve();
        const timer = setTimeout(
          () => reject(new Error(`fake OpenAI: still ${inFlight} in flight`)),
          timeoutMs,
        );
        idleWaiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      }),
    reset: () => {
      for (const res of hung) if (!res.writableEnded) res.writeHead(503).end();
      hung = new Set();
      calls = [];
      problems = [];
      queue = [];
      scripts = new Map();
      maxInFlight = inFlight;
      fake.delayMs = 0;
    },
    close: async () => {
      for (const res of hung) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) =>
        server.close((error) => (error ? reject(error) : resolve())),
      );
    },
  };

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const startedAt = performance.now();
    inFlight += 1;
    maxInFlight = Math.max(maxInFlight, inFlight);
    let open = true;
    const done = () => {
      if (!open) return;
      open = false;
      inFlight -= 1;
      settle();
    };

    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');

    const call: FakeCall = {
      n: calls.length + 1,
      title: '',
      markdown: '',
      model: '',
      authorization: req.headers.authorization,
      startedAt,
      endedAt: undefined,
      status: undefined,
      abandoned: false,
      replyHtml: undefined,
    };
    calls.push(call);
    res.on('close', () => {
      if (call.endedAt === undefined) {
        call.endedAt = performance.now();
        call.abandoned = true;
      }
      hung.delete(res);
      done();
    });

    const answer = (status: number, body: string, headers: Record<string, string> = {}) => {
      if (res.destroyed || res.writableEnded) return;
      call.status = status;
      call.endedAt = performance.now();
      done();
      res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(body);
    };
    const refuse = (problem: string) => {
      problems.push(`call ${call.n}: ${problem}`);
      answer(400, JSON.stringify({ error: { message: problem, type: 'invalid_request_error' } }));
    };

    if (req.method !== 'POST' || req.url !== '/v1/chat/completions') {
      return refuse(`unexpected ${req.method ?? '?'} ${req.url ?? '?'}`);
    }
    let request: {
      model?: unknown;
      messages?: { role?: unknown; content?: unknown }[];
      response_format?: { type?: unknown };
    };
    try {
      request = JSON.parse(raw) as typeof request;
    } catch {
      return refuse('the body is not JSON');
    }
    if (typeof request.model !== 'string' || request.model === '') {
      return refuse('no model');
    }
    call.model = request.model;
    if (request.response_format?.type !== 'json_object') {
      return refuse('response_format is not { type: "json_object" }');
    }
    const messages = Array.isArray(request.messages) ? request.messages : [];
    const system = messages.find((m) => m.role === 'system');
    const user = messages.find((m) => m.role === 'user');
    if (typeof system?.content !== 'string' || !system.content.includes('JSON')) {
      return refuse('no system message asking for JSON');
    }
    if (typeof user?.content !== 'string' || !user.content.startsWith('# ')) {
      return refuse('no user message starting with "# <title>"');
    }
    const [heading, ...rest] = user.content.split('\n\n');
    call.title = heading.slice(2);
    call.markdown = rest.join('\n\n');

    const script = scripts.get(call.title);
    const reply: FakeReply = (script?.length ? script.shift() : queue.shift()) ?? {};
    if (reply.hang) {
      hung.add(res);
      return;
    }
    const delay = reply.delayMs ?? fake.delayMs;
    if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));

    const status = reply.status ?? 200;
    const headers: Record<string, string> =
      reply.retryAfter !== undefined ? { 'retry-after': reply.retryAfter } : {};
    if (reply.body !== undefined) return answer(status, reply.body, headers);
    if (status !== 200) {
      return answer(
        status,
        JSON.stringify({ error: { message: `scripted ${status}`, type: 'server_error' } }),
        headers,
      );
    }
    let content = reply.content;
    if (content === undefined) {
      const display = fakeDisplay(call.title, call.markdown);
      if (reply.html !== undefined) display.html = reply.html;
      call.replyHtml = display.html;
      content = JSON.stringify(display);
    }
    answer(
      200,
      JSON.stringify({
        id: `chatcmpl-fake-${call.n}`,
        object: 'chat.completion',
        created: Math.floor(Date.now() / 1000),
        model: call.model,
        choices: [
          {
            index: 0,
            message: { role: 'assistant', content },
            finish_reason: 'stop',
          },
        ],
        usage: { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 },
      }),
      headers,
    );
  }

  return fake;
}
