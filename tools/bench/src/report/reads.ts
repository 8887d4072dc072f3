import type { LegResult, Side } from '../lib/rounds.js';
import type { ReadResult } from '../scenarios/measure-reads.js';
import type { DriftResult } from '../scenarios/limiter/run.js';
import {
  changeText,
  fraction,
  kb,
  ms,
  queriesText,
  ratio,
  rps,
  spreadText,
  table,
  usText,
} from './format.js';

export const SIDE_LABEL: Record<Side, string> = {
  baseline: 'baseline (`OPTIMIZATIONS=none`)',
  optimized: 'optimized (`OPTIMIZATIONS=all`)',
  ceiling: 'ceiling: bare Fastify, same bytes',
  'ceiling-sql': 'ceiling: bare Fastify + pg, same SQL',
};

const leg = (r: ReadResult, side: Side): LegResult | undefined =>
  r.legs.find((l) => l.side === side);
const median = (l: LegResult | undefined, pick: (l: LegResult) => number) =>
  l ? pick(l) : Number.NaN;

/** The anchor of a read's section in docs/benchmarks.md. */
export function anchor(name: string): string {
  return `read-${name}`;
}

/** The headline: every read, optimized against baseline and against the ceilings. */
export function headlineTable(reads: ReadResult[], link: (name: string) => string): string[] {
  const rows = reads.map((r) => {
    const b = median(leg(r, 'baseline'), (l) => l.summary.rps.median);
    const o = median(leg(r, 'optimized'), (l) => l.summary.rps.median);
    const c = median(leg(r, 'ceiling'), (l) => l.summary.rps.median);
    const s = leg(r, 'ceiling-sql');
    const sql = median(s, (l) => l.summary.rps.median);
    return [
      `[${r.title}](${link(r.name)})`,
      rps(b),
      rps(o),
      ratio(o / b),
      rps(c),
      fraction(o, c),
      s ? rps(sql) : '–',
      s ? fraction(o, sql) : '–',
    ];
  });
  return table(
    [
      'read',
      'baseline req/s',
      'optimized req/s',
      'optimized ÷ baseline',
      'ceiling req/s (same bytes)',
      '**optimized ÷ ceiling**',
      'SQL ceiling req/s',
      '**optimized ÷ SQL ceiling**',
    ],
    ['l', 'r', 'r', 'r', 'r', 'r', 'r', 'r'],
    rows,
  );
}

export function readSection(r: ReadResult): string[] {
  const rows = r.legs.map((l) => {
    const s = l.summary;
    return [
      SIDE_LABEL[l.side],
      spreadText(s.rps, rps),
      spreadText(s.p50, ms),
      spreadText(s.p95, ms),
      spreadText(s.p99, ms),
      queriesText(s.queries, s.queriesSeen),
      Number.isFinite(s.aiCalls.median) ? s.aiCalls.median.toFixed(1) : '–',
      usText(s.apiUs.median),
      usText(s.pgUs.median),
      usText(s.clientUs.median),
      s.errors > 0 ? `${s.errors} (${s.timeouts} timeouts)` : '0',
    ];
  });
  const o = leg(r, 'optimized');
  const c = leg(r, 'ceiling');
  const lines = [
    `\`GET ${r.path.replace(/[0-9a-f]{8}-[0-9a-f-]{27}/g, ':id').replace(/cursor=[^&]+/, 'cursor=…')}\`: ` +
      `${kb(r.bytes)} answer; baseline and optimized answered ${r.sameAnswer ? 'the same' : '**differently**'}` +
      (r.sql
        ? `; the SQL ceiling (\`${r.sql.mirror}\`) answered the same JSON${r.sql.sameBytes ? ', byte for byte' : ' (not byte for byte)'}`
        : '') +
      `. Optimized at ${fraction(
        median(o, (l) => l.summary.rps.median),
        median(c, (l) => l.summary.rps.median),
      )} of the same-bytes ceiling.`,
    '',
    ...table(
      [
        'side',
        'req/s',
        'p50 ms',
        'p95 ms',
        'p99 ms',
        'X-DB-Queries',
        'AI calls/req',
        'server µs/req',
        'PostgreSQL µs/req',
        'load generator µs/req',
        'errors',
      ],
      ['l', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r'],
      rows,
    ),
  ];
  return lines;
}

/** First against last round of every read, per side: a cost that grows during the run shows here. */
export function roundDriftTable(reads: ReadResult[]): string[] {
  const rows: string[][] = [];
  for (const r of reads) {
    for (const l of r.legs) {
      if (l.rounds.length < 2) continue;
      const first = l.rounds[0].rps;
      const last = l.rounds[l.rounds.length - 1].rps;
      rows.push([
        l === r.legs[0] ? r.title : '',
        SIDE_LABEL[l.side],
        rps(first),
        rps(last),
        changeText(first, last),
      ]);
    }
  }
  return table(
    ['read', 'side', 'first round req/s', 'last round req/s', 'change'],
    ['l', 'l', 'r', 'r', 'r'],
    rows,
  );
}

export function driftTable(d: DriftResult): string[] {
  const windows = (perSecond: number[]) => {
    const means: string[] = [];
    for (let i = 0; i + d.windowS <= perSecond.length; i += d.windowS) {
      const w = perSecond.slice(i, i + d.windowS);
      means.push(rps(w.reduce((a, b) => a + b, 0) / w.length));
    }
    return means.join(' → ');
  };
  return table(
    [
      'side',
      `first ${d.windowS} s req/s`,
      `last ${d.windowS} s req/s`,
      'change',
      `req/s, ${d.windowS} s at a time`,
      'server µs/req over the run',
    ],
    ['l', 'r', 'r', 'r', 'l', 'r'],
    d.sides.map((s) => [
      SIDE_LABEL[s.side],
      rps(s.first),
      rps(s.last),
      changeText(s.first, s.last),
      windows(s.perSecond),
      usText(s.round.cpu?.apiUs ?? Number.NaN),
    ]),
  );
}
