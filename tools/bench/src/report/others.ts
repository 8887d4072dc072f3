import type { MixedResult } from '../scenarios/mixed/run.js';
import type { RealtimeResult } from '../scenarios/realtime/run.js';
import type { ScalePoint } from '../scenarios/scale/run.js';
import { percent, type Spread } from '../lib/stats.js';
import {
  kb,
  mib,
  ms,
  queriesText,
  ratio,
  rps,
  spreadText,
  table,
  thousands,
  usText,
} from './format.js';

const pct = (s: Spread) => spreadText(s, (v) => percent(v, 1));

export function mixedSection(m: MixedResult): string[] {
  const [baseline, optimized] = m.sides;
  const lines = [
    `${m.users} users in a closed loop (each sends its next request when the last is answered, ` +
      `no think time), each a member of one of the main workspaces with a thinking process of its own; ` +
      `the AI provider answers after ${thousands(m.providerMs)} ms; a request unanswered after ` +
      `${m.timeoutMs / 1000} s counts as an error (timeout). Baseline and optimized take turns, ` +
      'every user replaying the same choices on both.',
    '',
    ...table(
      ['share', 'request'],
      ['r', 'l'],
      m.mix.map((c) => [`${c.percent}%`, `\`${c.what}\``]),
    ),
    '',
    ...table(
      ['', 'baseline', 'optimized', 'optimized ÷ baseline'],
      ['l', 'r', 'r', 'r'],
      [
        [
          'req/s',
          spreadText(baseline.rps, rps),
          spreadText(optimized.rps, rps),
          ratio(optimized.rps.median / baseline.rps.median),
        ],
        ['error rate (timeouts included)', pct(baseline.errorRate), pct(optimized.errorRate), ''],
        [
          'AI calls per request',
          spreadText(baseline.aiCallsPerRequest, (v) => v.toFixed(2)),
          spreadText(optimized.aiCallsPerRequest, (v) => v.toFixed(2)),
          '',
        ],
        ['server µs/req', usText(baseline.apiUs.median), usText(optimized.apiUs.median), ''],
        ['PostgreSQL µs/req', usText(baseline.pgUs.median), usText(optimized.pgUs.median), ''],
      ],
    ),
    '',
    'Per request class, ms (median of the rounds); errors over all rounds:',
    '',
    ...table(
      ['class', 'baseline p50 / p95 / p99', 'errors', 'optimized p50 / p95 / p99', 'errors'],
      ['l', 'r', 'r', 'r', 'r'],
      m.mix.map(({ cls }) => {
        const b = baseline.byClass[cls];
        const o = optimized.byClass[cls];
        const three = (c: typeof b) =>
          c ? `${ms(c.p50.median)} / ${ms(c.p95.median)} / ${ms(c.p99.median)}` : '–';
        const errs = (c: typeof b) =>
          c ? `${c.errors} of ${thousands(c.errors + c.requests)}` : '–';
        return [cls, three(b), errs(b), three(o), errs(o)];
      }),
    ),
  ];
  const hits = new Map<string, { hits: number; misses: number }>();
  for (const r of optimized.rounds) {
    for (const [name, c] of Object.entries(r.caches)) {
      const acc = hits.get(name) ?? { hits: 0, misses: 0 };
      hits.set(name, { hits: acc.hits + c.hits, misses: acc.misses + c.misses });
    }
  }
  if (hits.size > 0) {
    lines.push(
      '',
      'Cache hit rate of the optimized API during the mix (`/api/performance/cache-stats`): ' +
        [...hits]
          .map(
            ([name, c]) =>
              `${name} ${percent(c.hits / Math.max(1, c.hits + c.misses), 1)} of ${thousands(c.hits + c.misses)}`,
          )
          .join(', ') +
        '.',
    );
  }
  const problems = new Map<string, number>();
  for (const side of m.sides) {
    for (const r of side.rounds) {
      for (const [what, n] of Object.entries(r.problems)) {
        const key = `${side.side}: ${what}`;
        problems.set(key, (problems.get(key) ?? 0) + n);
      }
    }
  }
  if (problems.size > 0) {
    lines.push(
      '',
      `Errors by kind: ${[...problems].map(([k, n]) => `${k} × ${thousands(n)}`).join('; ')}.`,
    );
  }
  return lines;
}

export function realtimeSection(r: RealtimeResult): string[] {
  const s = r.settings;
  return [
    'The gateway of the optimized API (no Redis unless `REDIS_URL` is set; connection limits raised ' +
      "for the run), the bench as every client (websocket transport). Memory is the API's own " +
      '`process.memoryUsage()` after three full GCs, against a reading taken before any measured ' +
      `connection. Broadcast: a thinking step posted over HTTP, ${r.broadcast.rounds} times, to ` +
      `${thousands(r.broadcast.clients)} clients in one workspace room; latency per delivery is its ` +
      "arrival minus the step's server timestamp (set by the insert), so it includes the insert, " +
      'the commit, the fan-out and the client decoding it.',
    '',
    ...table(
      ['measure', 'measured'],
      ['l', 'r'],
      [
        [
          `heap / RSS per idle connection at ${thousands(s.small)}`,
          `${kb(r.perConnection.small.heap)} / ${kb(r.perConnection.small.rss)}`,
        ],
        [
          `heap / RSS per idle connection at ${thousands(s.large)}`,
          `${kb(r.perConnection.large.heap)} / ${kb(r.perConnection.large.rss)}`,
        ],
        [
          `API heap / RSS: before → ${thousands(s.small)} → ${thousands(s.large)} connections`,
          `${mib(r.baseline.heapUsed)} / ${mib(r.baseline.rss)} → ${mib(r.atSmall.heapUsed)} / ${mib(r.atSmall.rss)} → ${mib(r.atLarge.heapUsed)} / ${mib(r.atLarge.rss)}`,
        ],
        [
          `broadcast to ${thousands(r.broadcast.clients)}, per delivery: p50 / p95 / p99 ms`,
          `${ms(r.broadcast.latency.p50)} / ${ms(r.broadcast.latency.p95)} / ${ms(r.broadcast.latency.p99)}`,
        ],
        [
          '…until the first client had it (the insert, its commit, the publish): p50 / max ms',
          `${ms(r.broadcast.firstClient.p50)} / ${ms(r.broadcast.firstClient.max)}`,
        ],
        [
          '…until the last client had it: p50 / max ms',
          `${ms(r.broadcast.lastClient.p50)} / ${ms(r.broadcast.lastClient.max)}`,
        ],
        [
          `API CPU per broadcast to ${thousands(r.broadcast.clients)} (the post with the room full, minus the same post with nobody listening)`,
          fanOut(r),
        ],
        [
          'deliveries missing',
          `${r.broadcast.missing} of ${thousands(r.broadcast.rounds * r.broadcast.clients)}`,
        ],
        [
          `heap after ${thousands(s.cycles)} connect/disconnect cycles, over the first reading`,
          `${r.heapGrowth >= 0 ? '+' : '−'}${kb(Math.abs(r.heapGrowth))} (${r.heldAfterClose} connections still held)`,
        ],
      ],
    ),
  ];
}

function fanOut(r: RealtimeResult): string {
  const { cpuAloneUs: alone, cpuRoomUs: room, clients } = r.broadcast;
  if (alone === undefined || room === undefined) return '– (no /proc)';
  const us = room - alone;
  return `${ms(us / 1000)} ms (${(us / clients).toFixed(1)} µs per recipient; the post itself ${ms(alone / 1000)} ms)`;
}

export function scaleSection(points: ScalePoint[]): string[] {
  const rows = points.map((p) => {
    const cell = (name: 'thinking' | 'dashboard', side: 'baseline' | 'optimized') => {
      const leg = p.reads.find((r) => r.name === name)?.sides[side];
      if (!leg) return '–';
      const q = queriesText(leg.summary.queries, leg.summary.queriesSeen);
      return `${ms(leg.summary.p50.median)} / ${ms(leg.summary.p95.median)} (${q} q)`;
    };
    return [
      `${thousands(p.steps)} (${thousands(p.processes)} processes)`,
      thousands(p.tableRows),
      `${(p.seedMs / 1000).toFixed(1)} s`,
      cell('thinking', 'baseline'),
      cell('thinking', 'optimized'),
      cell('dashboard', 'baseline'),
      cell('dashboard', 'optimized'),
    ];
  });
  const lines = [
    'p50 / p95 in ms, one request at a time (c=1), and X-DB-Queries; the median of the rounds.',
    '',
    ...table(
      [
        'steps in the workspace',
        'rows in thinking_steps',
        'seeded in',
        'thinking baseline',
        'thinking optimized',
        'dashboard baseline',
        'dashboard optimized',
      ],
      ['l', 'r', 'r', 'r', 'r', 'r', 'r'],
      rows,
    ),
  ];
  if (points.length >= 2) {
    const first = points[0];
    const last = points[points.length - 1];
    const growth = (name: 'thinking' | 'dashboard', side: 'baseline' | 'optimized') => {
      const a =
        first.reads.find((r) => r.name === name)?.sides[side].summary.p50.median ?? Number.NaN;
      const b =
        last.reads.find((r) => r.name === name)?.sides[side].summary.p50.median ?? Number.NaN;
      return `${name} ${side} ${ms(a)} → ${ms(b)} ms (${ratio(b / a)})`;
    };
    lines.push(
      '',
      `From ${thousands(first.steps)} to ${thousands(last.steps)} steps, p50: ` +
        `${growth('thinking', 'optimized')}, ${growth('thinking', 'baseline')}, ` +
        `${growth('dashboard', 'optimized')}, ${growth('dashboard', 'baseline')}.`,
    );
  }
  return lines;
}
