/**
 * The display-content benchmark: what a deliverables list costs in provider
 * calls and latency without the display cache (`OPTIMIZATIONS=batching`: every
 * read transforms every deliverable, one after another) and with it
 * (`OPTIMIZATIONS=all`: transformed once, stored, served from the database).
 *
 * On loopback only: a fake OpenAI-compatible provider in this process (fixed
 * latency per call, counting every call per API key), a scratch database, and
 * the built API started twice on it. One workspace of 17 deliverables is made
 * through the API; each list is measured one request at a time. A second round
 * uses the `local` adapter with its SIMULATED latency (AI_LOCAL_COST_MS). Prints
 * a Markdown table and writes it into docs/display-content.md. Bounded in time;
 * cleans up after itself.
 *
 *   node dist/tools/bench/src/display-content.js [--provider-ms 800] [--requests 5] ...
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { cpus, loadavg, release, totalmem, type } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs, stripVTControlCharacters } from 'node:util';
import { numberFlag } from './lib/cli.js';
import { writeBetweenMarkers } from './lib/report.js';
import { Cleanup, errorMessage, stopOnSignalsOrTimeout } from './lib/cleanup.js';
import { assertBuilt, EMBEDDED_POSTGRES_JS, openDatabase } from './lib/database.js';
import { dbQueries, HttpTarget } from './lib/http.js';
import { canonicalJson } from './lib/measure.js';
import { freePort, NodeChild, waitUntilHealthy } from './lib/processes.js';
import { duration, type LatencySummary, ms, ratio, summarize, thousands } from './lib/stats.js';

/*
 * The bench talks to the API over HTTP only and keeps its own view of the
 * answers (the Nx boundaries let a scope:tools project import no library).
 * These mirror libs/contracts/src/deliverables.ts and performance.ts.
 */
interface DisplayContent {
  html: string;
  summary: string;
  outline: string[];
}
interface DisplayedDeliverable {
  id: string;
  title: string;
  content: string;
  displayContent: DisplayContent | null;
  displayStatus: 'ready' | 'pending';
}
interface DisplayCacheSummary {
  cached: number;
  transformed: number;
  aiCallsSaved: number;
}
interface DeliverableListResponse {
  items: DisplayedDeliverable[];
  nextCursor: string | null;
  displayCache: DisplayCacheSummary;
}
interface DisplayContentStats {
  provider: string;
  model: string;
  transformVersion: string;
  aiCalls: number;
  aiCallsSaved: number;
  transformations: number;
  failures: number;
  quotaBlocked: number;
  estimatedCostSavedUsd: number;
}
interface AuthResponse {
  accessToken: string;
}

const API_MAIN = 'dist/apps/api/apps/api/src/main.js';
const START_MARKER = '<!-- bench:display:start -->';
const END_MARKER = '<!-- bench:display:end -->';

const DELIVERABLES = 17;
const MODEL = 'bench-model';
/** AI_COST_PER_CALL_USD of both APIs (the API's default). */
const COST_PER_CALL_USD = 0.002;
/** Unmeasured warm lists before the measured ones (JIT, connection pool). */
const WARM_UP = 3;

type Role = 'baseline' | 'optimized';
const ROLES: Role[] = ['baseline', 'optimized'];
const OPTIMIZATIONS: Record<Role, string> = { baseline: 'batching', optimized: 'all' };

interface Options {
  providerMs: number;
  localMs: number;
  local: boolean;
  requests: number;
  warm: number;
  concurrency: number;
  dryRun: boolean;
  out: string;
  timeoutMs: number;
}

const USAGE = `Display-content benchmark: the deliverables list without (OPTIMIZATIONS=batching)
and with (OPTIMIZATIONS=all) the display cache, against a fake OpenAI-compatible provider.

Usage: node dist/tools/bench/src/display-content.js [options]

  --provider-ms <ms>   latency of every fake provider call                (default 800)
  --requests <n>       baseline lists measured, per provider                (default 5)
  --warm <n>           warm (cached) lists measured on the optimized API    (default 30)
  --concurrency <n>    AI_CONCURRENCY of both APIs                          (default 4)
  --local-ms <ms>      AI_LOCAL_COST_MS of the local-adapter round          (default 300)
  --no-local           skip the local-adapter round
  --out <file>         page to write the table into         (default docs/display-content.md)
  --dry-run            print the table, write nothing
  --timeout <s>        give up (and clean up) after                         (default 300)
  -h, --help

Database: DATABASE_URL (a scratch database bench_<random> is created on that
server and dropped at the end), else a throw-away embedded PostgreSQL.
`;

function parseOptions(argv: string[]): Options | undefined {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      'provider-ms': { type: 'string', default: '800' },
      'local-ms': { type: 'string', default: '300' },
      'no-local': { type: 'boolean', default: false },
      requests: { type: 'string', default: '5' },
      warm: { type: 'string', default: '30' },
      concurrency: { type: 'string', default: '4' },
      out: { type: 'string', default: 'docs/display-content.md' },
      'dry-run': { type: 'boolean', default: false },
      timeout: { type: 'string', default: '300' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(USAGE);
    return undefined;
  }
  return {
    providerMs: Math.round(numberFlag('provider-ms', values['provider-ms'], 0, 10_000)),
    localMs: Math.round(numberFlag('local-ms', values['local-ms'], 0, 10_000)),
    local: !values['no-local'],
    requests: Math.round(numberFlag('requests', values.requests, 1, 100)),
    warm: Math.round(numberFlag('warm', values.warm, 1, 10_000)),
    concurrency: Math.round(numberFlag('concurrency', values.concurrency, 1, 64)),
    dryRun: values['dry-run'],
    out: values.out,
    timeoutMs: numberFlag('timeout', values.timeout, 30, 3600) * 1000,
  };
}

/** dist/tools/bench/src/display-content.js -> the repository root. */
const ROOT = resolve(__dirname, '../../../..');

/** Aborted by Ctrl-C, SIGTERM or the watchdog. */
const stop = new AbortController();
let abortExitCode = 1;

function log(line: string): void {
  console.log(`[bench] ${line}`);
}

// ---------------------------------------------------------------------------
// The fake provider: OpenAI chat completions on 127.0.0.1, in this process.
// Its protocol checks follow apps/api/test/support/fake-openai.ts.
// ---------------------------------------------------------------------------

interface KeyCounts {
  calls: number;
  inFlight: number;
  maxInFlight: number;
}

class FakeProvider {
  readonly problems: string[] = [];
  private readonly byKey = new Map<string, KeyCounts>();
  private readonly server = createServer((req, res) => {
    void this.handle(req, res).catch((error: unknown) => {
      this.problems.push(`handler failed: ${errorMessage(error)}`);
      if (!res.headersSent) res.writeHead(500).end();
    });
  });
  baseUrl = '';

  constructor(private readonly delayMs: number) {}

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

  maxInFlight(key: string): number {
    return this.byKey.get(key)?.maxInFlight ?? 0;
  }

  resetMaxInFlight(key: string): void {
    const counts = this.byKey.get(key);
    if (counts) counts.maxInFlight = counts.inFlight;
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

// ---------------------------------------------------------------------------
// The workspace: 17 agent reports of realistic markdown (1.5-2.5 KB each).
// ---------------------------------------------------------------------------

const REPORTS: [title: string, agent: string, subject: string][] = [
  ['Competitor pricing scan, week 14', 'Pricing analyst', 'list prices of 12 competitors'],
  ['Churn drivers in the Q1 cohort', 'Retention analyst', 'cancellations since January'],
  ['Supplier risk review: APAC', 'Procurement agent', 'delivery records of 41 suppliers'],
  ['Release notes draft for 4.2', 'Docs writer', 'merged pull requests of the sprint'],
  ['Incident retrospective: checkout latency', 'SRE agent', 'traces of the 9 May incident'],
  ['Market sizing: mid-market CRM', 'Research agent', 'public filings and analyst notes'],
  ['Support ticket themes, March', 'Support triage agent', '2,310 tickets'],
  ['Hiring funnel analysis', 'People analytics agent', 'applications of the last two quarters'],
  ['Dependency security audit', 'Security agent', '1,184 npm and PyPI dependencies'],
  ['Marketing attribution check', 'Growth analyst', 'campaign touchpoints of 8,000 sign-ups'],
  ['Warehouse capacity forecast', 'Operations planner', 'inbound volumes of three sites'],
  ['Onboarding email A/B results', 'Lifecycle agent', 'two onboarding sequences'],
  ['Cloud spend anomalies', 'FinOps agent', 'daily billing exports'],
  ['Contract clause comparison: MSA v3', 'Legal review agent', 'three versions of the MSA'],
  ['Product feedback digest', 'Voice-of-customer agent', 'interviews, reviews and NPS comments'],
  ['Partner integration status', 'Partnerships agent', 'the status of 14 integrations'],
  ['Board deck data appendix', 'Finance agent', 'the quarter’s KPIs'],
];

/** A small deterministic generator: the same reports on every run. */
function numbers(seed: number): () => number {
  let state = seed * 2_654_435_761;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    return state / 2_147_483_648;
  };
}

function reportMarkdown(index: number): string {
  const [title, agent, subject] = REPORTS[index];
  const next = numbers(index + 1);
  const pct = () => `${(next() * 30 - 8).toFixed(1)}%`;
  const count = (max: number) => thousands(Math.round(50 + next() * max));
  const slug = title.toLowerCase().replace(/[^a-z0-9]+/g, '-');
  const rows = ['volume', 'conversion', 'median time', 'cost per unit', 'satisfaction']
    .slice(0, 3 + (index % 3))
    .map((metric) => `| ${metric} | ${count(900)} | ${count(900)} | ${pct()} |`);
  return [
    '## Summary',
    '',
    `The ${agent.toLowerCase()} reviewed ${subject} for "${title}". The main result: the ` +
      `measured change is ${pct()} against the previous period, driven mostly by the two ` +
      `largest segments. Confidence is ${next() > 0.4 ? 'high' : 'medium'}: ${count(400)} ` +
      'records were complete, the rest were excluded rather than guessed.',
    '',
    '## Findings',
    '',
    `- **Largest segment** moved ${pct()}, about ${count(2000)} units, most of it in the last two weeks.`,
    `- **Second segment** moved ${pct()}; the change is within the usual weekly noise.`,
    `- ${count(90)} records had missing or conflicting values and were set aside (listed in the appendix).`,
    `- The trend matches last quarter's forecast to within ${pct()}.`,
    `- Full data: [${slug}.csv](https://reports.example.com/${slug}.csv).`,
    '',
    '## Figures',
    '',
    '| metric | last period | this period | change |',
    '| --- | ---: | ---: | ---: |',
    ...rows,
    '',
    '## Method',
    '',
    `1. Collected ${subject} from the shared drive and the warehouse.`,
    '2. Normalised currencies, time zones and duplicate identifiers.',
    '3. Compared each segment with the same period last year and with the forecast.',
    '',
    '```sql',
    'SELECT segment, count(*) AS n, avg(value) AS mean',
    `  FROM ${slug.replace(/-/g, '_').slice(0, 40)}`,
    " WHERE period >= date_trunc('quarter', now()) - interval '3 months'",
    ' GROUP BY segment ORDER BY n DESC;',
    '```',
    '',
    '## Risks and open questions',
    '',
    `- The smallest segment has only ${count(60)} records: its change is not significant.`,
    '- Two sources disagree on the period boundary; the stricter one was used.',
    '',
    `> Note from the ${agent.toLowerCase()}: re-run after the month-end close to confirm.`,
    '',
    '## Next steps',
    '',
    '1. Review the set-aside records with the data owner.',
    `2. Share the figures with the team by ${['Monday', 'Wednesday', 'Friday'][index % 3]}.`,
    '3. Schedule the follow-up report for next week.',
  ].join('\n');
}

// ---------------------------------------------------------------------------
// Measuring.
// ---------------------------------------------------------------------------

interface Api {
  role: Role;
  child: NodeChild;
  target: HttpTarget;
  /** Provider calls so far (the fake's count of this API's key, or its own aiCalls). */
  calls: () => Promise<number>;
  /** Calls in flight at most since the last reset; undefined when not observable. */
  maxInFlight: () => number | undefined;
  resetMaxInFlight: () => void;
}

interface ListSample {
  ms: number;
  calls: number;
  queries: number | undefined;
  cache: DisplayCacheSummary;
  maxInFlight: number | undefined;
  items: DisplayedDeliverable[];
}

interface RoundResult {
  provider: 'openai' | 'local';
  costMs: number;
  baseline: ListSample[];
  cold: ListSample;
  warm: ListSample[];
  edit: { ms: number; calls: number; status: string };
  edited: ListSample;
  stats: Record<Role, DisplayContentStats>;
  /** Provider-side call counts per API (openai round only). */
  providerCalls: Record<Role, number> | undefined;
  /** "display cache: ..." lines the optimized API logged for the cold, a warm and the edited list. */
  logLines: string[];
  /** Baseline and optimized served the same display content for all 17. */
  sameAnswer: boolean;
}

interface Workspace {
  id: string;
  token: string;
  deliverableIds: string[];
}

async function main(): Promise<number> {
  const options = parseOptions(process.argv.slice(2));
  if (!options) return 0;
  const startedAt = performance.now();
  assertBuilt(ROOT, [API_MAIN, EMBEDDED_POSTGRES_JS]);

  const cleanup = new Cleanup();
  const watchdog = stopOnSignalsOrTimeout(stop, cleanup, options.timeoutMs, (code) => {
    abortExitCode = code;
  });

  const apis: Api[] = [];
  try {
    const fake = new FakeProvider(options.providerMs);
    await fake.start();
    cleanup.add('fake provider', () => fake.close());
    log(`fake OpenAI-compatible provider at ${fake.baseUrl}, ${options.providerMs} ms per call`);

    const db = await openDatabase(ROOT, log);
    cleanup.add('database', () => db.close());
    stop.signal.throwIfAborted();
    log(`PostgreSQL ${db.serverVersion}, scratch database ${new URL(db.url).pathname.slice(1)}`);
    const jwtSecret = randomBytes(32).toString('base64url');
    const env = childEnv(db.url, jwtSecret, options.concurrency);

    let workspace: Workspace | undefined;
    const rounds: RoundResult[] = [];
    const loadBefore = loadavg()[0];
    const specs: { provider: 'openai' | 'local'; costMs: number; ai: NodeJS.ProcessEnv }[] = [
      {
        provider: 'openai',
        costMs: options.providerMs,
        ai: { AI_PROVIDER: 'openai', AI_BASE_URL: fake.baseUrl, AI_MODEL: MODEL },
      },
    ];
    if (options.local) {
      specs.push({
        provider: 'local',
        costMs: options.localMs,
        ai: { AI_PROVIDER: 'local', AI_LOCAL_COST_MS: String(options.localMs) },
      });
    }

    for (const spec of specs) {
      stop.signal.throwIfAborted();
      log(`--- ${spec.provider} provider, ${spec.costMs} ms per call ---`);
      const started = await Promise.all(
        ROLES.map((role) =>
          startApi(role, { ...env, ...spec.ai, AI_API_KEY: `bench-${role}` }, cleanup, fake),
        ),
      );
      apis.splice(0, apis.length, ...started);
      const [baseline, optimized] = started;

      if (!workspace) workspace = await createWorkspace(optimized.target, fake);
      for (const api of started) {
        api.target.token = workspace.token;
        await checkOptimizations(api);
      }
      rounds.push(
        await measureRound(spec.provider, spec.costMs, baseline, optimized, workspace, options),
      );
      if (fake.problems.length > 0) {
        throw new Error(
          `the fake provider saw protocol problems:\n  ${fake.problems.join('\n  ')}`,
        );
      }
      for (const api of started) {
        await api.child.stop();
        api.target.close();
      }
      apis.length = 0;
    }

    const cpuList = cpus();
    const markdown = renderMarkdown(rounds, {
      date: new Date(),
      runMs: performance.now() - startedAt,
      cpu: `${cpuList[0]?.model.trim() ?? 'unknown CPU'} × ${cpuList.length}`,
      system: `${type()} ${release()}, ${(totalmem() / 2 ** 30).toFixed(1)} GiB RAM`,
      node: process.version,
      postgres: db.serverVersion,
      database: db.where,
      options,
      loadAverage: [loadBefore, loadavg()[0]],
    });
    console.log(`\n${markdown}\n`);
    if (options.dryRun) {
      log('not written (--dry-run)');
    } else {
      const file = resolve(ROOT, options.out);
      await writeBetweenMarkers(file, markdown, {
        start: START_MARKER,
        end: END_MARKER,
        title: 'Display content',
      });
      log(`written to ${file}`);
    }
  } catch (error) {
    if (!stop.signal.aborted) {
      for (const api of apis) {
        const state = api.child.running ? 'running' : 'exited';
        console.error(
          `[bench] ${api.child.name}, ${state}; its last output:\n${api.child.output(20) || '    (none)'}`,
        );
      }
    }
    throw error;
  } finally {
    clearTimeout(watchdog);
    await cleanup.run();
  }
  log(`done in ${duration(performance.now() - startedAt)}`);
  return 0;
}

/** The environment shared by every API process of the run. */
function childEnv(databaseUrl: string, jwtSecret: string, concurrency: number): NodeJS.ProcessEnv {
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !name.startsWith('AI_')),
  );
  return {
    ...inherited,
    DATABASE_URL: databaseUrl,
    JWT_SECRET: jwtSecret,
    NODE_ENV: 'production',
    // `log`, for the display cache's savings line; nothing else logs per request.
    LOG_LEVEL: 'log',
    NO_COLOR: '1',
    DEMO_SEED: 'false',
    DEMO_ACTIVITY: 'off',
    RATE_LIMIT_MULTIPLIER: '1000000',
    AI_DAILY_QUOTA: '1000000',
    AI_CONCURRENCY: String(concurrency),
    AI_TIMEOUT_MS: '30000',
    AI_MAX_RETRIES: '2',
    AI_COST_PER_CALL_USD: String(COST_PER_CALL_USD),
  };
}

async function startApi(
  role: Role,
  env: NodeJS.ProcessEnv,
  cleanup: Cleanup,
  fake: FakeProvider,
): Promise<Api> {
  const port = await freePort();
  const optimizations = OPTIMIZATIONS[role];
  const child = new NodeChild(
    `api ${role} (${env.AI_PROVIDER}, OPTIMIZATIONS=${optimizations})`,
    join(ROOT, API_MAIN),
    [],
    {
      cwd: ROOT,
      env: { ...env, OPTIMIZATIONS: optimizations, PORT: String(port), HOST: '127.0.0.1' },
    },
  );
  cleanup.add(child.name, () => child.stop());
  const target = new HttpTarget(new URL(`http://127.0.0.1:${port}`), 4);
  cleanup.add(`${child.name} client`, async () => target.close());
  stop.signal.throwIfAborted();
  const started = performance.now();
  await waitUntilHealthy(child, target, 60_000);
  log(`${child.name} ready on port ${port} (${duration(performance.now() - started)})`);

  const key = env.AI_API_KEY ?? '';
  if (env.AI_PROVIDER === 'openai') {
    return {
      role,
      child,
      target,
      calls: async () => fake.calls(key),
      maxInFlight: () => fake.maxInFlight(key),
      resetMaxInFlight: () => fake.resetMaxInFlight(key),
    };
  }
  // The local adapter calls no server: its own count of (simulated) provider calls.
  return {
    role,
    child,
    target,
    calls: async () => (await displayStats(target)).aiCalls,
    maxInFlight: () => undefined,
    resetMaxInFlight: () => undefined,
  };
}

async function displayStats(target: HttpTarget): Promise<DisplayContentStats> {
  const stats = await target.json<{ displayContent: DisplayContentStats }>(
    'GET',
    '/api/performance/cache-stats',
  );
  return stats.displayContent;
}

/** The API reports display-cache off for the baseline and on for the optimized one. */
async function checkOptimizations(api: Api): Promise<void> {
  const state = await api.target.json<{ optimizations: { name: string; enabled: boolean }[] }>(
    'GET',
    '/api/performance/optimizations',
  );
  const on = (name: string) => state.optimizations.find((o) => o.name === name)?.enabled;
  const wanted = api.role === 'optimized';
  if (on('display-cache') !== wanted || on('batching') !== true) {
    throw new Error(
      `${api.child.name} reports ${state.optimizations
        .filter((o) => o.enabled)
        .map((o) => o.name)
        .join(', ')} switched on`,
    );
  }
}

/** A user, a workspace and 17 deliverables, through the API; no provider call may happen. */
async function createWorkspace(target: HttpTarget, fake: FakeProvider): Promise<Workspace> {
  const started = performance.now();
  const auth = await target.json<AuthResponse>('POST', '/api/auth/register', {
    email: `bench-${randomBytes(4).toString('hex')}@example.com`,
    password: randomBytes(12).toString('base64url'),
    name: 'Bench Owner',
  });
  target.token = auth.accessToken;
  const workspace = await target.json<{ id: string }>('POST', '/api/workspaces', {
    name: 'Display-content bench',
    description: `${DELIVERABLES} agent reports`,
  });
  const deliverableIds: string[] = [];
  let bytes = 0;
  for (let i = 0; i < DELIVERABLES; i++) {
    const content = reportMarkdown(i);
    bytes += Buffer.byteLength(content);
    const created = await target.json<DisplayedDeliverable>(
      'POST',
      `/api/workspaces/${workspace.id}/deliverables`,
      { title: REPORTS[i][0], content },
    );
    if (created.displayStatus !== 'pending') {
      throw new Error(`a new deliverable is ${created.displayStatus}, expected pending`);
    }
    deliverableIds.push(created.id);
  }
  const calls = fake.calls('bench-optimized') + fake.calls('bench-baseline');
  if (calls !== 0) throw new Error(`creating deliverables made ${calls} provider calls`);
  log(
    `workspace with ${DELIVERABLES} deliverables created through the API ` +
      `(${(bytes / DELIVERABLES / 1024).toFixed(1)} KB of markdown each on average, ` +
      `${duration(performance.now() - started)}); no provider call`,
  );
  return { id: workspace.id, token: auth.accessToken, deliverableIds };
}

async function measureRound(
  provider: 'openai' | 'local',
  costMs: number,
  baseline: Api,
  optimized: Api,
  workspace: Workspace,
  options: Options,
): Promise<RoundResult> {
  // The baseline transforms the 17 one after another: allow for it, and then some.
  const timeoutMs = DELIVERABLES * (costMs + 200) * 2 + 30_000;
  const list = (api: Api) => listOnce(api, workspace.id, timeoutMs);
  const show = (what: string, s: ListSample) =>
    log(
      `${what.padEnd(30)} ${String(s.calls).padStart(2)} calls  ${ms(s.ms).padStart(6)} ms  ` +
        `X-DB-Queries ${s.queries ?? '?'}  cached ${s.cache.cached} transformed ${s.cache.transformed}` +
        (s.maxInFlight !== undefined ? `  in flight ≤ ${s.maxInFlight}` : ''),
    );

  const baselineSamples: ListSample[] = [];
  for (let i = 0; i < options.requests; i++) {
    const sample = await list(baseline);
    show(`baseline list ${i + 1}`, sample);
    baselineSamples.push(sample);
  }

  const cold = await list(optimized);
  show('optimized, first (cold) list', cold);
  for (let i = 0; i < WARM_UP; i++) await list(optimized);
  const warm: ListSample[] = [];
  for (let i = 0; i < options.warm; i++) warm.push(await list(optimized));
  const warmSummary = summarize(warm.map((s) => s.ms));
  log(
    `optimized, ${warm.length} warm lists       ${sum(warm.map((s) => s.calls))} calls in all  ` +
      `p50 ${ms(warmSummary.p50)} ms  p95 ${ms(warmSummary.p95)} ms  ` +
      `X-DB-Queries ${distinct(warm.map((s) => s.queries))}`,
  );

  // Edit one deliverable's content: the write makes no call; the next list makes one.
  const editedId = workspace.deliverableIds[provider === 'openai' ? 5 : 6];
  const before = await optimized.calls();
  const current = cold.items.find((d) => d.id === editedId);
  if (!current) throw new Error('the deliverable to edit is not on the list');
  const patch = await optimized.target.send('PATCH', `/api/deliverables/${editedId}`, {
    content: `${current.content}\n\n## Update (${provider} round)\n\nRevised after the month-end close: the change holds.`,
  });
  if (patch.status !== 200) {
    throw new Error(`PATCH answered ${patch.status}: ${patch.body.toString('utf8').slice(0, 300)}`);
  }
  const patched = JSON.parse(patch.body.toString('utf8')) as DisplayedDeliverable;
  const edit = {
    ms: patch.ms,
    calls: (await optimized.calls()) - before,
    status: patched.displayStatus,
  };
  log(
    `PATCH of one deliverable's content    ${edit.calls} calls  ${ms(edit.ms)} ms  answered ${edit.status}`,
  );
  const edited = await list(optimized);
  show('optimized, list after the edit', edited);

  // The savings lines are written before each answer; give the pipe a moment.
  await new Promise((done) => setTimeout(done, 300));
  const lines = optimized.child
    .output(200)
    .split('\n')
    .map((l) => stripVTControlCharacters(l).trim())
    .filter((l) => l.includes('display cache:'));
  const logLines = [
    lines.find((l) => l.includes(': 0 cached')),
    lines.find((l) => l.includes(' 0 transformed')),
    lines.findLast((l) => l.includes(' 1 transformed')),
  ].filter((l): l is string => l !== undefined);

  const stats = {
    baseline: await displayStats(baseline.target),
    optimized: await displayStats(optimized.target),
  };
  const providerCalls =
    provider === 'openai'
      ? { baseline: await baseline.calls(), optimized: await optimized.calls() }
      : undefined;
  if (providerCalls) {
    for (const role of ROLES) {
      if (providerCalls[role] !== stats[role].aiCalls) {
        throw new Error(
          `the ${role} API counted ${stats[role].aiCalls} calls, the provider ${providerCalls[role]}`,
        );
      }
    }
  }

  const displayOf = (s: ListSample) =>
    canonicalJson(
      s.items.map((d) => [d.id, d.displayContent] as const).sort(([a], [b]) => a.localeCompare(b)),
    );
  const reference = displayOf(warm[0]);
  const sameAnswer =
    baselineSamples.every((s) => displayOf(s) === reference) && displayOf(cold) === reference;

  return {
    provider,
    costMs,
    baseline: baselineSamples,
    cold,
    warm,
    edit,
    edited,
    stats,
    providerCalls,
    logLines,
    sameAnswer,
  };
}

/** One list of the workspace, one request; every item must be served ready. */
async function listOnce(api: Api, workspaceId: string, timeoutMs: number): Promise<ListSample> {
  stop.signal.throwIfAborted();
  const before = await api.calls();
  api.resetMaxInFlight();
  const path = `/api/workspaces/${workspaceId}/deliverables?limit=20`;
  const reply = await api.target.send('GET', path, undefined, timeoutMs);
  if (reply.status !== 200) {
    throw new Error(
      `GET ${path} answered ${reply.status}: ${reply.body.toString('utf8').slice(0, 300)}`,
    );
  }
  const body = JSON.parse(reply.body.toString('utf8')) as DeliverableListResponse;
  const calls = (await api.calls()) - before;
  if (body.items.length !== DELIVERABLES) {
    throw new Error(
      `${api.child.name}: ${body.items.length} items listed, expected ${DELIVERABLES}`,
    );
  }
  const pending = body.items.filter((d) => d.displayStatus !== 'ready').length;
  if (pending > 0) throw new Error(`${api.child.name}: ${pending} items served pending`);
  return {
    ms: reply.ms,
    calls,
    queries: dbQueries(reply.headers),
    cache: body.displayCache,
    maxInFlight: api.maxInFlight(),
    items: body.items,
  };
}

function sum(values: number[]): number {
  return values.reduce((a, b) => a + b, 0);
}

/** Distinct values, in order of first appearance: "17", or "1/2". */
function distinct(values: (number | undefined)[]): string {
  const seen = [...new Set(values.map((v) => (v === undefined ? '?' : String(v))))];
  return seen.join('/');
}

// ---------------------------------------------------------------------------
// The report.
// ---------------------------------------------------------------------------

interface RunInfo {
  date: Date;
  runMs: number;
  cpu: string;
  system: string;
  node: string;
  postgres: string;
  database: string;
  options: Options;
  /** 1-minute load average when the measurements began and ended. */
  loadAverage: [number, number];
}

function renderMarkdown(rounds: RoundResult[], info: RunInfo): string {
  const o = info.options;
  const lines: string[] = [
    `Measured ${info.date.toISOString().slice(0, 16).replace('T', ' ')} UTC by \`npm run bench:display\` ` +
      `(whole run ${duration(info.runMs)}), on ${info.cpu}, ${info.system}; Node ${info.node}; ` +
      `PostgreSQL ${info.postgres}, ${info.database}.`,
    '',
    `One workspace of ${DELIVERABLES} deliverables (agent reports of 1.5–2.5 KB of markdown: ` +
      'headings, lists, a table, a code block, links), created through the API. Two API processes ' +
      'ran on the same scratch database: the baseline, `OPTIMIZATIONS=batching` (display-cache off: ' +
      'every read transforms every deliverable, one after another, and stores nothing), and the ' +
      `optimized, \`OPTIMIZATIONS=all\`; both \`AI_CONCURRENCY=${o.concurrency}\`, ` +
      '`AI_TIMEOUT_MS=30000`, `AI_MAX_RETRIES=2`, `NODE_ENV=production`. Each row is ' +
      `\`GET /api/workspaces/:id/deliverables?limit=20\`, one request at a time over a keep-alive ` +
      'connection; latency is client-side, in ms. Provider calls per list are counted where they ' +
      'land: by the fake provider, per API key (openai), or by the API itself (local, ' +
      '`aiCalls` of `/api/performance/cache-stats`). The optimized API is measured after the ' +
      `baseline; ${WARM_UP} unmeasured warm lists precede the measured ones.`,
  ];
  for (const r of rounds) lines.push('', ...renderRound(r));
  lines.push(
    '',
    '`/api/performance/cache-stats` → `displayContent` at the end of each round: the baseline ' +
      `had served ${o.requests} lists, the optimized API ${2 + WARM_UP + o.warm} (cold, ` +
      `${WARM_UP} warm-up, ${o.warm} warm, after the edit). \`aiCalls\` counts provider requests ` +
      "(retries included); the last column is what the fake provider received with that API's key.",
    '',
    '| provider | API | aiCalls | aiCallsSaved | transformations | failures | estimatedCostSavedUsd | calls the provider counted |',
    '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |',
  );
  for (const r of rounds) {
    for (const role of ROLES) {
      const s = r.stats[role];
      lines.push(
        `| ${role === 'baseline' ? providerLabel(r) : ''} | ${role} | ${thousands(s.aiCalls)} | ` +
          `${thousands(s.aiCallsSaved)} | ${thousands(s.transformations)} | ${s.failures} | ` +
          `${s.estimatedCostSavedUsd.toFixed(3)} | ${r.providerCalls ? thousands(r.providerCalls[role]) : '– (no server)'} |`,
      );
    }
  }
  lines.push(
    '',
    `\`estimatedCostSavedUsd\` is \`aiCallsSaved × AI_COST_PER_CALL_USD\` (${COST_PER_CALL_USD} here, the default). ` +
      `Load average (1 min) ${info.loadAverage[0].toFixed(1)} when the measurements began, ` +
      `${info.loadAverage[1].toFixed(1)} when they ended, on ${cpus().length} cores: the rows of ` +
      'a few milliseconds move with other work on the machine, the rows made of provider calls ' +
      'hardly.',
  );
  return lines.join('\n');
}

function providerLabel(r: RoundResult): string {
  return r.provider === 'openai' ? 'openai (fake)' : 'local (SIMULATED)';
}

function renderRound(r: RoundResult): string[] {
  const base = summarize(r.baseline.map((s) => s.ms));
  const warm = summarize(r.warm.map((s) => s.ms));
  const heading =
    r.provider === 'openai'
      ? `**OpenAI-compatible provider**: \`AI_PROVIDER=openai\` against a fake chat-completions ` +
        `server in the bench process that answers every call after a fixed ${thousands(r.costMs)} ms ` +
        '(a hosted model rewriting 2 KB of markdown as HTML often takes longer).'
      : `**Local adapter** (\`AI_PROVIDER=local\`, what \`npm start\` users see): a real markdown → ` +
        `sanitised HTML transformation, but its provider latency of ${thousands(r.costMs)} ms is ` +
        '**SIMULATED** (`AI_LOCAL_COST_MS`): no model is called. What the first round stored was ' +
        'made by another adapter (another transform version), so the first list of this round ' +
        'transforms all of them again.';
  const row = (
    api: string,
    what: string,
    samples: ListSample[],
    summary: LatencySummary | undefined,
  ): string => {
    const one = samples.length === 1 ? samples[0].ms : Number.NaN;
    const p50 = summary ? summary.p50 : one;
    const inFlight = samples.map((s) => s.maxInFlight);
    return (
      `| ${api} | ${what} | ${samples.length} | ${distinct(samples.map((s) => s.calls))} | ` +
      `${ms(p50)} | ${summary ? ms(summary.p95) : '–'} | ${summary ? ms(summary.max) : '–'} | ` +
      `${distinct(samples.map((s) => s.queries))} | ` +
      `${distinct(samples.map((s) => s.cache.cached))} / ${distinct(samples.map((s) => s.cache.transformed))} | ` +
      `${inFlight.every((v) => v === undefined) ? '–' : distinct(inFlight)} |`
    );
  };
  const lines = [
    heading,
    '',
    '| API | list | lists | provider calls per list | p50 | p95 | max | X-DB-Queries | cached / transformed | calls in flight at most |',
    '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    row('baseline', 'every list', r.baseline, base),
    row('optimized', 'first (cold) list', [r.cold], undefined),
    row('optimized', 'warm lists', r.warm, warm),
    row('optimized', 'list after a PATCH of one', [r.edited], undefined),
    '',
    `Per list request of the ${DELIVERABLES}-deliverable workspace: **${distinct(r.baseline.map((s) => s.calls))} → ` +
      `${distinct(r.warm.map((s) => s.calls))} provider calls, p50 ${ms(base.p50)} → ${ms(warm.p50)} ms ` +
      `(${ratio(base.p50 / warm.p50)})**. The first list of content never transformed (or after a ` +
      'model or prompt change: stored results survive restarts and deploys) makes the ' +
      `same ${r.cold.calls} calls, ${r.cold.maxInFlight !== undefined ? `at most ${r.cold.maxInFlight} at once` : 'through the pool'}, ` +
      `in ${ms(r.cold.ms)} ms instead of ${ms(base.p50)}; the PATCH itself made ${r.edit.calls} calls ` +
      `(${ms(r.edit.ms)} ms, answered \`${r.edit.status}\`) and the next list ${r.edited.calls}. ` +
      `Baseline and optimized served ${r.sameAnswer ? 'the same' : '**different**'} display content. ` +
      `At $${COST_PER_CALL_USD} a call, one baseline list costs ` +
      `$${(mean(r.baseline.map((s) => s.calls)) * COST_PER_CALL_USD).toFixed(3)}.`,
  ];
  if (r.logLines.length > 0) {
    lines.push(
      '',
      'What the optimized API logged for the cold list, a warm one and the one after the edit:',
      '',
      '```text',
      ...r.logLines.map(stripLogPrefix),
      '```',
    );
  }
  return lines;
}

/** `[Nest] 123  - 05/01/2026, 12:00:00 PM     LOG [DisplayCache] display cache: ...` -> from LOG on. */
function stripLogPrefix(line: string): string {
  const at = line.search(/\b(LOG|WARN)\s+\[/);
  return at >= 0 ? line.slice(at) : line;
}

function mean(values: number[]): number {
  return values.length === 0 ? Number.NaN : sum(values) / values.length;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (stop.signal.aborted) {
      console.error(`[bench] stopped: ${errorMessage(stop.signal.reason)}`);
      process.exit(abortExitCode);
    }
    console.error(`[bench] failed: ${errorMessage(error)}`);
    process.exit(1);
  },
);
