import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { writeBetweenMarkers, writePage } from '../lib/report.js';
import { duration } from '../lib/stats.js';
import { fraction, ratio, rps, table, thousands } from './format.js';
import type { RunResult } from './model.js';
import { mixedSection, realtimeSection, scaleSection } from './others.js';
import { anchor, driftTable, headlineTable, readSection, roundDriftTable } from './reads.js';

const PAGE = { start: '<!-- bench:start -->', end: '<!-- bench:end -->', title: 'Benchmarks' };
const HEADLINE = {
  start: '<!-- bench:headline:start -->',
  end: '<!-- bench:headline:end -->',
  title: 'Benchmarks',
};

function quickWarning(r: RunResult): string[] {
  return r.meta.quick
    ? [
        '> **Quick run** (`--quick`, as CI runs it): every scenario for a second or two, to prove ' +
          'the harness works end to end. These figures are not the ones to quote; a full run ' +
          '(`npm run bench`) replaces them.',
        '',
      ]
    : [];
}

/** The measured part of docs/benchmarks.md: every table of the run. */
export function renderRun(
  r: RunResult,
  link: (name: string) => string = (n) => `#${anchor(n)}`,
): string {
  const m = r.meta;
  const p = m.profile;
  const lines: string[] = [
    ...quickWarning(r),
    `Measured ${m.date.slice(0, 16).replace('T', ' ')} UTC by \`${m.command}\` (whole run ` +
      `${duration(m.runMs)}), on ${m.machine.cpu} × ${m.machine.cores}, ${m.machine.system}, ` +
      `${m.machine.memoryGiB.toFixed(1)} GiB RAM; Node ${m.node}; PostgreSQL ${m.postgres}, ${m.database}; ` +
      `${m.redis ? 'Redis from `REDIS_URL`' : 'no Redis'}; \`DB_POOL_MAX=${m.poolMax}\`. ` +
      `Load average (1 min) ${m.loadAverage[0].toFixed(1)} when the measurements began, ` +
      `${m.loadAverage[1].toFixed(1)} when they ended.`,
    '',
    `Dataset (the API's seed CLI, fixed seeds): ${m.dataset.join('; ')}. The optimized API reported ` +
      `${m.optimizations.map((o) => `\`${o}\``).join(', ')} switched on, the baseline none. Rate ` +
      `limits as the APIs reported them: ${m.rateLimits.map((l) => `${l.tier} ${thousands(l.limit)}`).join(', ')} a minute.`,
  ];
  if (r.reads && r.reads.length > 0) {
    lines.push(
      '',
      '## Headline: the optimized API against this machine’s ceiling',
      '',
      `Reads: ${p.reads.connections} connections, ${p.reads.rounds} rounds of ${p.reads.durationMs / 1000} s ` +
        `per side after ${p.reads.warmupMs / 1000} s of warm-up, sides taking turns (baseline, optimized, ` +
        `ceilings); the AI read ${p.slowReads.connections} connections, ${p.slowReads.rounds} rounds of ` +
        `${p.slowReads.durationMs / 1000} s, the provider answering after ${thousands(m.providerMs)} ms. ` +
        'Every figure is the median of the rounds.',
      '',
      ...headlineTable(r.reads, link),
      '',
      '## Reads',
      '',
      'Per side: req/s, latency (client-side), `X-DB-Queries` (the values seen, or their mean), AI ' +
        'provider calls per request (counted by the fake provider, per API process), CPU per request ' +
        'from `/proc` of the process serving (the API, or the bare Fastify), of PostgreSQL (the ' +
        'postmaster and its backends) and of the load generator. The load generator of the ' +
        'optimized API and the ceilings is wrk when it is installed (a C program: on two cores ' +
        'it takes far less from the server under test than a Node client would) and undici in ' +
        'this process otherwise, and always for the baseline (its slow requests must be counted ' +
        `to the last one); this run: **${m.readsGenerator}**. Median of the ` +
        'rounds, (min–max) where they differ.',
    );
    for (const read of r.reads) {
      lines.push(
        '',
        `<a id="${anchor(read.name)}"></a>`,
        '',
        `### ${read.title}`,
        '',
        ...readSection(read),
      );
    }
  }
  if (r.reads?.length || r.drift) {
    lines.push(
      '',
      '<a id="rate-limiter"></a>',
      '',
      '## Rate limiter: is its cost flat over the run?',
      '',
      'The limits are scaled out of the way (`RATE_LIMIT_MULTIPLIER`), but the limiter still runs on ' +
        'every request. If its cost grows with the hits it holds, later rounds are slower than earlier ' +
        'ones on the API while the ceiling stays put.',
    );
  }
  if (r.reads?.length) {
    lines.push('', 'First against last round of every read:', '', ...roundDriftTable(r.reads));
  }
  if (r.drift) {
    lines.push(
      '',
      `One ${r.drift.durationS} s run of the cached workspace read (${r.drift.connections} connections) ` +
        'by a user with no earlier hits, and the same run against the bare Fastify serving its bytes ' +
        `(the control); req/s of the first against the last ${r.drift.windowS} s:`,
      '',
      ...driftTable(r.drift),
    );
  }
  if (r.mixed && r.mixed.length > 0) {
    lines.push('', '<a id="mixed"></a>', '', '## Mixed workload');
    for (const run of r.mixed) {
      lines.push(
        '',
        `### AI provider at ${thousands(run.providerMs)} ms`,
        '',
        ...mixedSection(run),
      );
    }
  }
  if (r.realtime)
    lines.push('', '<a id="realtime"></a>', '', '## Realtime', '', ...realtimeSection(r.realtime));
  if (r.scale && r.scale.length > 0) {
    lines.push('', '<a id="scale"></a>', '', '## Scale curve', '', ...scaleSection(r.scale));
  }
  return lines.join('\n');
}

/** The README's performance rows: each read's gain and its share of the ceiling, and the mix. */
export function renderHeadline(r: RunResult): string {
  const lines = [...quickWarning(r)];
  if (r.reads) {
    lines.push(
      ...table(
        ['read', 'req/s, baseline → optimized', 'of the ceiling (same bytes)', 'X-DB-Queries'],
        ['l', 'r', 'r', 'r'],
        r.reads.map((read) => {
          const b = read.legs.find((l) => l.side === 'baseline')?.summary;
          const o = read.legs.find((l) => l.side === 'optimized')?.summary;
          const c = read.legs.find((l) => l.side === 'ceiling')?.summary;
          const q = (s: typeof b) => (s ? s.queriesSeen.join('/') || '?' : '?');
          return [
            `[${read.title}](docs/benchmarks.md#${anchor(read.name)})`,
            `${rps(b?.rps.median ?? Number.NaN)} → ${rps(o?.rps.median ?? Number.NaN)} (${ratio((o?.rps.median ?? 0) / (b?.rps.median ?? 0))})`,
            fraction(o?.rps.median ?? Number.NaN, c?.rps.median ?? Number.NaN),
            `${q(b)} → ${q(o)}`,
          ];
        }),
      ),
    );
  }
  for (const run of r.mixed ?? []) {
    const b = run.sides.find((s) => s.side === 'baseline') ?? run.sides[0];
    const o = run.sides.find((s) => s.side === 'optimized') ?? run.sides[run.sides.length - 1];
    lines.push(
      '',
      `[Mixed workload](docs/benchmarks.md#mixed), ${run.users} users, AI provider at ` +
        `${thousands(run.providerMs)} ms: ${rps(b.rps.median)} → ${rps(o.rps.median)} req/s, ` +
        `errors ${(b.errorRate.median * 100).toFixed(1)}% → ${(o.errorRate.median * 100).toFixed(1)}%.`,
    );
  }
  lines.push(
    '',
    `Measured ${r.meta.date.slice(0, 10)} by \`${r.meta.command}\` on ${r.meta.machine.cpu} × ` +
      `${r.meta.machine.cores}; every table and how it is measured: [docs/benchmarks.md](docs/benchmarks.md).`,
  );
  return lines.join('\n');
}

/**
 * Writes benchmarks.json and benchmarks.md to `outDir`. Into docs/ (the
 * default), the page keeps its hand-written parts and only the measured block
 * between its markers is replaced, and the README's headline rows follow.
 */
export async function writeReport(
  root: string,
  r: RunResult,
  outDir: string | undefined,
): Promise<string[]> {
  const docs = resolve(root, 'docs');
  const dir = resolve(root, outDir ?? 'docs');
  mkdirSync(dir, { recursive: true });
  const json = join(dir, 'benchmarks.json');
  // Through Prettier too: the JSON beside docs/benchmarks.md passes the format check as written.
  await writePage(json, JSON.stringify(r));
  const md = join(dir, 'benchmarks.md');
  if (dir === docs) {
    await writeBetweenMarkers(md, renderRun(r), PAGE);
    const readme = join(root, 'README.md');
    await writeBetweenMarkers(readme, renderHeadline(r), HEADLINE);
    return [json, md, readme];
  }
  await writePage(md, `# ${PAGE.title}\n\n${renderRun(r)}\n`);
  return [json, md];
}
