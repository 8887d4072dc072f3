import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { errorMessage } from './cleanup.js';

/**
 * The harness's one fake AI provider: an OpenAI-compatible chat-completions
 * server on 127.0.0.1, in the bench process. Every call waits `delayMs` (a
 * hosted model's latency; changeable between phases), is checked against the
 * protocol the API's `openai` adapter speaks, counted per API key (each API
 * process of a run has its own key, so the calls of the baseline and of the
 * optimized API are told apart where they land), and answered with a display
 * form derived from the markdown.
 *
 * The API's integration tests have their own scripted fake
 * (apps/api/test/support/fake-openai.ts: scripted failures, hangs, Retry-After);
 * why there are two is in tools/bench/README.md.
 */

interface DisplayContent {
  html: string;
  summary: string;
  outline: string[];
}

interface KeyCounts {
  calls: number;
  inFlight: number;
  maxInFlight: number;
}

export class FakeProvider {
  readonly problems: string[] = [];
  private readonly byKey = new Map<string, KeyCounts>();
  private readonly server = createServer((req, res) => {
    void this.handle(req, res).catch((error: unknown) => {
      this.problems.push(`handler failed: ${errorMessage(error)}`);
      if (!res.headersSent) res.writeHead(500).end();
    });
  });
  baseUrl = '';

  /** Milliseconds every call waits before it is answered. */
  constructor(public delayMs: number) {}

  async start(): Promise<void> {
    await new Promise<void>((ready, fail) => {
      this.server.once('error', fail);
      this.server.listen(0, '127.0.0.1', ready);
    });
    const { port } = this.server.address() as AddressInfo;
    this.baseUrl = `http://127.0.0.1:${port}/v1`;
  }

  /** Calls received with `Authorization: Bearer <key>`, invalid ones included. */
  calls(key: string): number {
    return this.byKey.get(key)?.calls ?? 0;
  }

  /** The most calls of that key that were ever in flight at once (bounded by AI_CONCURRENCY). */
  maxInFlight(key: string): number {
    return this.byKey.get(key)?.maxInFlight ?? 0;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((done) => this.server.close(() => done()));
  }

  private counts(key: string): KeyCounts {
    let counts = this.byKey.get(key);
    if (!counts) {
      counts = { calls: 0, inFlight: 0, maxInFlight: 0 };
      this.byKey.set(key, counts);
    }
    return counts;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const key = (req.headers.authorization ?? '').replace(/^Bearer\s+/i, '') || '(no key)';
    const counts = this.counts(key);
    counts.calls += 1;
    const n = counts.calls;
    counts.inFlight += 1;
    counts.maxInFlight = Math.max(counts.maxInFlight, counts.inFlight);
    let open = true;
    res.on('close', () => {
      if (open) counts.inFlight -= 1;
      open = false;
    });

    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const refuse = (problem: string) => {
      this.problems.push(`${key} call ${n}: ${problem}`);
      res
        .writeHead(400, { 'content-type': 'application/json' })
        .end(JSON.stringify({ error: { message: problem, type: 'invalid_request_error' } }));
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
      request = JSON.parse(Buffer.concat(chunks).toString('utf8')) as typeof request;
    } catch {
      return refuse('the body is not JSON');
    }
    if (typeof request.model !== 'string' || request.model === '') return refuse('no model');
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
    const display = modelDisplay(heading.slice(2), rest.join('\n\n'));

    // The "model" thinks: a fixed latency per call, like a hosted LLM's.
    if (this.delayMs > 0) await new Promise((done) => setTimeout(done, this.delayMs));
    if (res.destroyed) return;
    res.writeHead(200, { 'content-type': 'application/json' }).end(
      JSON.stringify({
        id: `chatcmpl-bench-${key}-${n}`,
        object: 'chat.completion',
        created: Math.floor(Date.now() / 1000),
        model: request.model,
        choices: [
          {
            index: 0,
            message: { role: 'assistant', content: JSON.stringify(display) },
            finish_reason: 'stop',
          },
        ],
        usage: { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 },
      }),
    );
  }
}

/**
 * What the fake's "model" answers: the markdown as HTML (headings, paragraphs,
 * lists, tables, code, quotes, bold, code spans, links), a summary (the first
 * paragraph, at most 60 words) and the outline. Deterministic.
 */
function modelDisplay(title: string, markdown: string): DisplayContent {
  const html: string[] = [];
  const outline: string[] = [];
  let summary = '';
  const lines = markdown.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].trim();
    if (line === '') continue;
    if (line.startsWith('```')) {
      const code: string[] = [];
      for (i++; i < lines.length && !lines[i].trim().startsWith('```'); i++) code.push(lines[i]);
      html.push(`<pre><code>${escapeHtml(code.join('\n'))}</code></pre>`);
      continue;
    }
    const heading = /^(#{1,6})\s+(.*)$/.exec(line);
    if (heading) {
      outline.push(heading[2]);
      html.push(`<h${heading[1].length}>${inline(heading[2])}</h${heading[1].length}>`);
      continue;
    }
    const block = (test: RegExp): string[] => {
      const taken: string[] = [];
      while (i < lines.length && test.test(lines[i].trim())) taken.push(lines[i++].trim());
      i--;
      return taken;
    };
    if (/^[-*]\s/.test(line)) {
      const items = block(/^[-*]\s/).map((l) => `<li>${inline(l.slice(2))}</li>`);
      html.push(`<ul>${items.join('')}</ul>`);
    } else if (/^\d+\.\s/.test(line)) {
      const items = block(/^\d+\.\s/).map((l) => `<li>${inline(l.replace(/^\d+\.\s/, ''))}</li>`);
      html.push(`<ol>${items.join('')}</ol>`);
    } else if (line.startsWith('|')) {
      const rows = block(/^\|/)
        .filter((row) => !/^\|[\s:|-]+\|$/.test(row))
        .map((row) =>
          row
            .slice(1, -1)
            .split('|')
            .map((cell) => inline(cell.trim())),
        );
      const [head = [], ...body] = rows;
      html.push(
        `<table><thead><tr>${head.map((c) => `<th>${c}</th>`).join('')}</tr></thead><tbody>` +
          body.map((r) => `<tr>${r.map((c) => `<td>${c}</td>`).join('')}</tr>`).join('') +
          '</tbody></table>',
      );
    } else if (line.startsWith('>')) {
      const quoted = block(/^>/).map((l) => l.replace(/^>\s?/, ''));
      html.push(`<blockquote><p>${inline(quoted.join(' '))}</p></blockquote>`);
    } else {
      const paragraph = block(/^(?![-*]\s|\d+\.\s|#|\||>|```).+/).join(' ');
      summary ||= plain(paragraph);
      html.push(`<p>${inline(paragraph)}</p>`);
    }
  }
  const words = (summary || title).split(/\s+/);
  return {
    html: html.join('\n'),
    summary: words.length > 60 ? `${words.slice(0, 60).join(' ')}…` : words.join(' '),
    outline,
  };
}

function inline(text: string): string {
  return escapeHtml(text)
    .replace(/\*\*([^*]+)\*\*/g, '<strong>$1</strong>')
    .replace(/`([^`]+)`/g, '<code>$1</code>')
    .replace(/\[([^\]]*)\]\(([^)\s]*)\)/g, '<a href="$2">$1</a>');
}

function plain(text: string): string {
  return text
    .replace(/\*\*([^*]+)\*\*/g, '$1')
    .replace(/`([^`]+)`/g, '$1')
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1');
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
