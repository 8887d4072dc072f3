import { spawnSync } from 'node:child_process';
import parsePrometheusTextFormat, { type PrometheusFamily } from 'parse-prometheus-text-format';
import { expect } from 'vitest';
import type { ApiClient } from './api-client.js';

export const TEST_METRICS_TOKEN = 'test-metrics-token-0123456789';

/** GET /metrics with the token, parsed by a Prometheus text-format parser, by family name. */
export async function scrape(
  api: ApiClient,
  token = TEST_METRICS_TOKEN,
): Promise<{ text: string; families: Map<string, PrometheusFamily> }> {
  const res = await api.get('/metrics', { headers: { authorization: `Bearer ${token}` } });
  expect(res.status, res.text.slice(0, 300)).toBe(200);
  expect(res.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
  const families = new Map(parsePrometheusTextFormat(res.text).map((f) => [f.name, f]));
  return { text: res.text, families };
}

/**
 * `promtool check metrics` (Debian's prometheus package; .ci/run installs it): Prometheus's
 * own text-format parser and its linter (naming, units, _total suffixes, HELP). Its
 * findings, empty when the exposition is clean.
 */
export function promtoolFindings(text: string): string {
  const run = spawnSync('promtool', ['check', 'metrics'], { input: text, encoding: 'utf8' });
  if (run.error) {
    throw new Error(`promtool is needed (apt-get install prometheus): ${run.error.message}`);
  }
  return `${run.stdout}${run.stderr}`.trim() + (run.status === 0 ? '' : ` (exit ${run.status})`);
}

/**
 * The value of one sample line: `name{labels} value`, labels matched exactly (the parser
 * above folds a histogram's labelled series into one, so series are read from the text).
 */
export function sample(text: string, name: string, labels: Record<string, string>): number {
  for (const line of text.split('\n')) {
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const found = Object.fromEntries(
      [...(match[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)].map((m) => [
        m[1],
        m[2],
      ]),
    );
    const keys = Object.keys(labels);
    if (Object.keys(found).length === keys.length && keys.every((k) => found[k] === labels[k])) {
      return Number(match[3]);
    }
  }
  return NaN;
}

/** PromQL words that are not metric names: functions, aggregations and keywords. */
const PROMQL_WORDS = new Set(
  'sum avg min max count rate irate increase histogram_quantile by without on ignoring group_left group_right and or unless bool topk bottomk clamp_min clamp_max abs vector time offset'.split(
    ' ',
  ),
);

/**
 * The metric names a PromQL expression reads: every identifier outside label matchers,
 * grouping lists, ranges and strings that is not a PromQL word.
 */
export function metricNamesIn(expr: string): string[] {
  const bare = expr
    .replace(/"(?:[^"\\]|\\.)*"/g, '')
    .replace(/\{[^}]*\}/g, ' ')
    .replace(/\[[^\]]*\]/g, ' ')
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, ' ')
    .replace(/(^|[^a-zA-Z0-9_:])\d+(\.\d+)?(e[+-]?\d+)?/gi, '$1 ');
  return [...bare.matchAll(/[a-zA-Z_:][a-zA-Z0-9_:]*/g)]
    .map((m) => m[0])
    .filter((word) => !PROMQL_WORDS.has(word) && !/^\d/.test(word));
}
