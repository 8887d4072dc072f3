import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import type { MeasureOptions, ModeResult } from './measure.js';
import { duration, ms, ratio, thousands } from './stats.js';

export const START_MARKER = '<!-- bench:queries:start -->';
export const END_MARKER = '<!-- bench:queries:end -->';

export type Mode = 'all' | 'none';

export interface EndpointResult {
  label: string;
  path: string;
  results: Record<Mode, ModeResult>;
  /** The two modes answered the same JSON (keys sorted). */
  sameAnswer: boolean;
}

export interface RunInfo {
  date: Date;
  runMs: number;
  cpu: string;
  system: string;
  node: string;
  postgres: string;
  database: string;
  poolMax: string;
  options: MeasureOptions;
  /** Per mode, from /api/performance/metrics after the run. */
  slowStatements: Record<Mode, number>;
  slowThresholdMs: number;
  /** 1-minute load average when the measurements started and ended. */
  loadAverage: [number, number];
  /** PostgreSQL runs on this machine, so its CPU was measured. */
  cpuMeasured: boolean;
  /** OPTIMIZATIONS of the "after" API: `all` unless --after said otherwise. */
  after: string;
}

function queries(r: ModeResult): string {
  return r.queries.length === 0 ? '?' : r.queries.join('/');
}

function rps(value: number): string {
  return thousands(Math.round(value));
}

export function renderMarkdown(endpoints: EndpointResult[], info: RunInfo): string {
  const o = info.options;
  const name = (mode: Mode) => (mode === 'all' ? info.after : 'none');
  const lines: string[] = [];
  lines.push(
    `Measured ${info.date.toISOString().slice(0, 16).replace('T', ' ')} UTC by \`npm run bench:queries\` ` +
      `(whole run ${duration(info.runMs)}), on ${info.cpu}, ${info.system}; ` +
      `Node ${info.node}; PostgreSQL ${info.postgres}, ${info.database}.`,
    '',
    `Two API processes ran side by side on the same scratch database: \`OPTIMIZATIONS=${info.after}\` ` +
      `and \`OPTIMIZATIONS=none\`, \`DB_POOL_MAX=${info.poolMax}\` each, \`NODE_ENV=production\`, ` +
      `\`LOG_LEVEL=warn\`. The load generator is the bench's own Node process on the same cores. ` +
      `Per endpoint, \`${info.after}\` then \`none\`: ${o.warmup} warm-up requests (at most ${o.maxSequentialMs / 2000} s); ${o.requests} sequential ` +
      `requests (at most ${o.maxSequentialMs / 1000} s) for the latency columns and the mean ` +
      `Server-Timing; then ${o.loadWarmupMs / 1000} s of unmeasured load and ${o.durationMs / 1000} s ` +
      `of load over ${o.connections} keep-alive connections. Latencies are client-side, in ms.`,
    '',
    `| endpoint | mode | X-DB-Queries | p50 | p95 | p99 | db ms | app ms | req/s @${o.connections} | p50 @${o.connections} | p99 @${o.connections} |`,
    '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  );
  for (const e of endpoints) {
    for (const mode of ['all', 'none'] as const) {
      const r = e.results[mode];
      const errors = r.load.errors > 0 ? ` (${thousands(r.load.errors)} errors)` : '';
      lines.push(
        `| ${mode === 'all' ? e.label : ''} | ${name(mode)} | ${queries(r)} | ${ms(r.sequential.p50)} | ` +
          `${ms(r.sequential.p95)} | ${ms(r.sequential.p99)} | ${ms(r.dbMs)} | ${ms(r.appMs)} | ` +
          `${rps(r.load.rps)}${errors} | ${ms(r.load.latency.p50)} | ${ms(r.load.latency.p99)} |`,
      );
    }
  }
  lines.push(
    '',
    `CPU during the ${o.durationMs / 1000} s of load, per completed request (from /proc): the API ` +
      `process, PostgreSQL (postmaster and backends${info.cpuMeasured ? '' : ': not on this machine, not measured'}), ` +
      `the load generator; then how busy the ${info.cpu.split(' × ')[1] ?? ''} cores were, and the share ` +
      'used by other processes on the machine (not the bench, the API under test or PostgreSQL).',
    '',
    '| endpoint | mode | API µs/req | PostgreSQL µs/req | client µs/req | cores busy | other processes |',
    '| --- | --- | ---: | ---: | ---: | ---: | ---: |',
  );
  for (const e of endpoints) {
    for (const mode of ['all', 'none'] as const) {
      const c = e.results[mode].load.cpu;
      lines.push(
        `| ${mode === 'all' ? e.label : ''} | ${name(mode)} | ${us(c?.apiUs)} | ${us(c?.pgUs)} | ` +
          `${us(c?.clientUs)} | ${percent(c?.machineBusy)} | ${percent(c?.others)} |`,
      );
    }
  }
  lines.push(
    '',
    `Before (\`none\`) → after (\`${info.after}\`). The factor is the gain: p50 before ÷ after, req/s after ÷ ` +
      'before (below ×1.0 the after mode measured worse).',
    '',
    `| endpoint | round trips | p50, one at a time | req/s @${o.connections} | p99 @${o.connections} | same answer | body |`,
    '| --- | ---: | ---: | ---: | ---: | :---: | ---: |',
  );
  for (const e of endpoints) {
    const before = e.results.none;
    const after = e.results.all;
    lines.push(
      `| ${e.label} | ${queries(before)} → ${queries(after)} | ` +
        `${ms(before.sequential.p50)} → ${ms(after.sequential.p50)} (${ratio(before.sequential.p50 / after.sequential.p50)}) | ` +
        `${rps(before.load.rps)} → ${rps(after.load.rps)} (${ratio(after.load.rps / before.load.rps)}) | ` +
        `${ms(before.load.latency.p99)} → ${ms(after.load.latency.p99)} | ` +
        `${e.sameAnswer ? 'yes' : '**no**'} | ${kb(after.bytes)} |`,
    );
  }
  lines.push(
    '',
    `Statements slower than ${info.slowThresholdMs} ms (DB_SLOW_QUERY_MS) during the run: ` +
      `${info.slowStatements.all} with \`${info.after}\`, ${info.slowStatements.none} with \`none\`. ` +
      `Load average (1 min) ${info.loadAverage[0].toFixed(1)} when the measurements began, ` +
      `${info.loadAverage[1].toFixed(1)} when they ended.`,
  );
  return lines.join('\n');
}

function us(value: number | undefined): string {
  return value === undefined || !Number.isFinite(value) ? '–' : thousands(Math.round(value));
}

function percent(value: number | undefined): string {
  return value === undefined ? '–' : `${Math.round(value * 100)}%`;
}

function kb(bytes: number): string {
  return bytes < 10_240
    ? `${(bytes / 1024).toFixed(1)} KB`
    : `${thousands(Math.round(bytes / 1024))} KB`;
}

export interface PageMarkers {
  start: string;
  end: string;
  /** The page's title, if the page does not exist yet. */
  title: string;
}

/**
 * Puts `content` between the markers of the page, keeping everything else; a
 * page without markers gets them (with the content) appended. Laid out by
 * Prettier, so the page passes the repository's format check as written.
 */
export async function writeBetweenMarkers(
  file: string,
  content: string,
  markers: PageMarkers = { start: START_MARKER, end: END_MARKER, title: 'Batched queries' },
): Promise<void> {
  const block = `${markers.start}\n\n${content}\n\n${markers.end}`;
  const page = existsSync(file) ? readFileSync(file, 'utf8') : '';
  const start = page.indexOf(markers.start);
  const end = page.indexOf(markers.end);
  const next =
    start >= 0 && end > start
      ? page.slice(0, start) + block + page.slice(end + markers.end.length)
      : `${page === '' ? `# ${markers.title}\n` : page.replace(/\s*$/, '\n')}\n## Measured\n\n${block}\n`;
  writeFileSync(file, await formatted(next, file));
}

async function formatted(markdown: string, file: string): Promise<string> {
  try {
    const prettier = await import('prettier');
    const config = (await prettier.resolveConfig(file)) ?? {};
    return await prettier.format(markdown, { ...config, filepath: file });
  } catch (error) {
    console.error(
      `[bench] not formatted with Prettier (${error instanceof Error ? error.message : String(error)})`,
    );
    return markdown;
  }
}
