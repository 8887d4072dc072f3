/**
 * A mixed workload for the reliability tests: `users` simulated users, each in a loop of
 * reads (agent list, lite list, dashboard, workspace) and writes (create an agent), over real
 * HTTP against one or more API instances. Every response is recorded (status, latency, when),
 * and every write acknowledged with 2xx has its id recorded, so a test can read them all back
 * from the database after a fault and count what was lost.
 *
 * A user sticks to one instance and moves to the next one only after a network error (refused,
 * reset) or a 503: what a client behind a health-checked balancer sees.
 */

export type Operation = 'list' | 'lite' | 'dashboard' | 'workspace' | 'create' | 'rename';

export interface Outcome {
  op: Operation;
  /** The HTTP status, or 0 for a network error or a timeout (see `error`). */
  status: number;
  /** When the request started, ms since the load started. */
  at: number;
  ms: number;
  target: string;
  error?: string;
  /** For `create`: the unique name of the agent it asked for. */
  name?: string;
  /** The parsed JSON body of a non-2xx answer (its error format is what some tests check). */
  errorBody?: unknown;
}

export interface MixedLoadOptions {
  /** Base URLs (http://127.0.0.1:port), spread over the users. */
  targets: readonly string[];
  token: string;
  workspaceId: string;
  users: number;
  /** Pause of each user between two requests. */
  thinkMs?: number;
  /** A request that takes longer is aborted and recorded as status 0, error "timeout". */
  requestTimeoutMs?: number;
  /** Relative weights; the default is mostly reads, one request in five a write. */
  weights?: Partial<Record<Operation, number>>;
  /** Agents that `rename` PATCHes in turn (a write that does not grow the data). */
  agentIds?: readonly string[];
}

const DEFAULT_WEIGHTS: Record<Operation, number> = {
  list: 3,
  lite: 2,
  dashboard: 2,
  workspace: 1,
  create: 2,
  rename: 0,
};

export interface LoadSummary {
  requests: number;
  ok: number;
  byStatus: Record<string, number>;
  networkErrors: number;
  p50: number;
  p95: number;
  max: number;
}

export function summarise(outcomes: readonly Outcome[]): LoadSummary {
  const byStatus: Record<string, number> = {};
  for (const o of outcomes) byStatus[o.status] = (byStatus[o.status] ?? 0) + 1;
  const sorted = outcomes.map((o) => o.ms).sort((x, y) => x - y);
  const pct = (p: number) =>
    sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
  return {
    requests: outcomes.length,
    ok: outcomes.filter((o) => o.status >= 200 && o.status < 300).length,
    byStatus,
    networkErrors: outcomes.filter((o) => o.status === 0).length,
    p50: round(pct(0.5)),
    p95: round(pct(0.95)),
    max: round(sorted.at(-1) ?? 0),
  };
}

function round(ms: number): number {
  return Math.round(ms * 10) / 10;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export class MixedLoad {
  readonly outcomes: Outcome[] = [];
  /** Ids of the agents whose creation was acknowledged with 201. */
  readonly acknowledgedIds: string[] = [];
  /**
   * Names of the agents whose creation got no 201 (an error status, a network error, a
   * timeout): none of them may be in the database unless the test allows it.
   */
  readonly unacknowledgedNames: string[] = [];
  private running = false;
  private loops: Promise<void>[] = [];
  private startedAt = 0;
  private readonly schedule: Operation[];
  private sequence = 0;

  constructor(private readonly options: MixedLoadOptions) {
    const weights = { ...DEFAULT_WEIGHTS, ...options.weights };
    this.schedule = (Object.keys(weights) as Operation[]).flatMap((op) =>
      Array.from({ length: weights[op] }, () => op),
    );
  }

  /** Milliseconds since start(): the clock `Outcome.at` uses. */
  now(): number {
    return performance.now() - this.startedAt;
  }

  start(): this {
    this.running = true;
    this.startedAt = performance.now();
    this.loops = Array.from({ length: this.options.users }, (_, user) => this.user(user));
    return this;
  }

  /** Stops issuing requests and waits for the ones in flight. */
  async stop(): Promise<void> {
    this.running = false;
    await Promise.all(this.loops);
  }

  /** The outcomes of requests started in [from, to) on the load's clock. */
  between(from: number, to = Number.POSITIVE_INFINITY): Outcome[] {
    return this.outcomes.filter((o) => o.at >= from && o.at < to);
  }

  private async user(user: number): Promise<void> {
    const { targets, thinkMs = 5 } = this.options;
    let target = user % targets.length;
    let step = user;
    while (this.running) {
      const op = this.schedule[step++ % this.schedule.length];
      const outcome = await this.request(op, targets[target]);
      this.outcomes.push(outcome);
      // Refused, reset, or 503 (an instance closing answers new requests so): try the next one.
      if ((outcome.status === 0 && outcome.error !== 'timeout') || outcome.status === 503) {
        target = (target + 1) % targets.length;
      }
      if (thinkMs > 0) await sleep(thinkMs);
    }
  }

  private async request(op: Operation, base: string): Promise<Outcome> {
    const { token, workspaceId, requestTimeoutMs = 10_000 } = this.options;
    const ws = `/api/workspaces/${workspaceId}`;
    const name = op === 'create' ? `Load agent ${++this.sequence}` : undefined;
    const agentIds = this.options.agentIds ?? [];
    const [method, path, body] =
      op === 'create'
        ? ['POST', `${ws}/agents`, { name, role: 'researcher' }]
        : op === 'rename'
          ? [
              'PATCH',
              `/api/agents/${agentIds[this.sequence++ % agentIds.length]}`,
              { name: `Renamed ${this.sequence}` },
            ]
          : op === 'list'
            ? ['GET', `${ws}/agents`]
            : op === 'lite'
              ? ['GET', `${ws}/agents?view=lite`]
              : op === 'dashboard'
                ? ['GET', `${ws}/dashboard`]
                : ['GET', ws];
    const headers: Record<string, string> = { authorization: `Bearer ${token}` };
    if (body) headers['content-type'] = 'application/json';
    const at = this.now();
    const started = performance.now();
    try {
      const res = await fetch(`${base}${path}`, {
        method,
        headers,
        body: body ? JSON.stringify(body) : undefined,
        signal: AbortSignal.timeout(requestTimeoutMs),
      });
      const text = await res.text();
      const ms = performance.now() - started;
      const outcome: Outcome = { op, status: res.status, at, ms, target: base, name };
      if (res.ok && op === 'create') {
        this.acknowledgedIds.push((JSON.parse(text) as { id: string }).id);
      } else if (!res.ok) {
        outcome.errorBody = parseJson(text);
        if (name) this.unacknowledgedNames.push(name);
      }
      return outcome;
    } catch (error) {
      const ms = performance.now() - started;
      // Not `name`: that is the agent a creation asked for, which must be recorded below.
      const errorName = error instanceof Error ? error.name : '';
      const message =
        errorName === 'TimeoutError'
          ? 'timeout'
          : error instanceof Error
            ? `${error.message}${error.cause instanceof Error ? `: ${error.cause.message}` : ''}`
            : String(error);
      if (name) this.unacknowledgedNames.push(name);
      return { op, status: 0, at, ms, target: base, error: message, name };
    }
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}
