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

/** How each side of the mix is named in the tables. */
const SIDE_LABEL: Record<string, string> = {
  baseline: 'baseline',
  'on-read': 'display on read',
  optimized: 'optimized',
};

export function mixedSection(m: MixedResult): string[] {
  const baseline = m.sides.find((s) => s.side === 'baseline') ?? m.sides[0];
  const optimized = m.sides.find((s) => s.side === 'optimized') ?? m.sides[m.sides.length - 1];
  const labels = m.sides.map((s) => SIDE_LABEL[s.side] ?? s.side);
  const lines = [
    `${m.users} users in a closed loop (each sends its next request when the last is answered, ` +
      `no think time), each a member of one of the main workspaces with a thinking process of its own; ` +
      `the AI provider answers after ${thousands(m.providerMs)} ms; a request unanswered after ` +
      `${m.timeoutMs / 1000} s counts as an error (timeout). The sides take turns, every user ` +
      'replaying the same choices on each: the baseline (`OPTIMIZATIONS=none`), ' +
      (m.sides.some((s) => s.side === 'on-read')
        ? 'display on read (`OPTIMIZATIONS=-display-queue`: everything on, but a list transforms ' +
          'what is missing and waits for it) and '
        : '') +
      'optimized (`all`: the display queue makes display content behind the read path).',
    '',
    ...table(
      ['share', 'request'],
      ['r', 'l'],
      m.mix.map((c) => [`${c.percent}%`, `\`${c.what}\``]),
    ),
    '',
    ...table(
      ['', ...labels, 'optimized ÷ baseline'],
      ['l', ...m.sides.map(() => 'r' as const), 'r'],
      [
        [
          'req/s',
          ...m.sides.map((s) => spreadText(s.rps, rps)),
          ratio(optimized.rps.median / baseline.rps.median),
        ],
        ['p95 of every request, ms', ...m.sides.map((s) => ms(wholeP95(s))), ''],
        ['error rate (timeouts included)', ...m.sides.map((s) => pct(s.errorRate)), ''],
        [
          'AI calls per request',
          ...m.sides.map((s) => spreadText(s.aiCallsPerRequest, (v) => v.toFixed(2))),
          '',
        ],
        ['server µs/req', ...m.sides.map((s) => usText(s.apiUs.median)), ''],
        ['PostgreSQL µs/req', ...m.sides.map((s) => usText(s.pgUs.median)), ''],
      ],
    ),
    '',
    'Per request class, ms, p50 / p95 / p99 (median of the rounds); errors over all rounds:',
    '',
    ...table(
      ['class', ...labels.flatMap((l) => [l, 'errors'])],
      ['l', ...m.sides.flatMap(() => ['r', 'r'] as const)],
      m.mix.map(({ cls }) => {
        const cells = m.sides.flatMap((side) => {
          const c = side.byClass[cls];
          return c
            ? [
                `${ms(c.p50.median)} / ${ms(c.p95.median)} / ${ms(c.p99.median)}`,
                `${c.errors} of ${thousands(c.errors + c.requests)}`,
              ]
            : ['–', '–'];
        });
        return [cls, ...cells];
      }),
    ),
    '',
    ...displayTargets(m),
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

/** The p95 of every request of a side: the median over rounds of each round's whole-mix p95. */
function wholeP95(side: MixedResult['sides'][number]): number {
  const values = side.rounds.map((r) => r.total.latency.p95).sort((a, b) => a - b);
  return values[Math.floor(values.length / 2)] ?? Number.NaN;
}

/**
 * docs/display-content.md's targets, per side: the deliverables list's p99 within 3× the
 * dashboard's, and the whole mix's p95 under 300 ms.
 */
function displayTargets(m: MixedResult): string[] {
  const rows = m.sides.map((side) => {
    const list = side.byClass.deliverables?.p99.median ?? Number.NaN;
    const dash = side.byClass.dashboard?.p99.median ?? Number.NaN;
    const p95 = wholeP95(side);
    // No deliverables request answered in time: no p99 to divide, and the target is missed.
    const ratio = Number.isFinite(list)
      ? `${ms(list)} ÷ ${ms(dash)} = ${(list / dash).toFixed(1)}× ${list <= 3 * dash ? '(met)' : '(missed)'}`
      : `every list timed out (missed)`;
    return [
      SIDE_LABEL[side.side] ?? side.side,
      ratio,
      `${ms(p95)} ${p95 < 300 ? '(met)' : '(missed)'}`,
    ];
  });
  return [
    'The display targets (docs/display-content.md): a deliverables list never waits for the AI.',
    '',
    ...table(
      [
        'side',
        'deliverables p99 ÷ dashboard p99 (target ≤ 3×)',
        'p95 of the mix (target < 300 ms)',
      ],
      ['l', 'r', 'r'],
      rows,
    ),
  ];
}
