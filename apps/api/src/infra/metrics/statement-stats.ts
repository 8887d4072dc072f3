import type { StatementStats as StatementStatsDto } from '@orch/contracts';

const SAMPLES = 256;
const MAX_STATEMENTS = 500;

interface Entry {
  sql: string;
  count: number;
  totalMs: number;
  maxMs: number;
  /** The most recent SAMPLES durations (a ring), for the p95. */
  samples: number[];
  next: number;
}

/**
 * `WHERE id = 'abc' AND n IN ($1, $2)` and `... IN (3)` are one statement:
 * placeholders and literals become `?`, and a list of them `(?)`.
 */
export function normaliseSql(sql: string): string {
  return sql
    .replace(/\s+/g, ' ')
    .replace(/\$\d+/g, '?')
    .replace(/'(?:[^']|'')*'/g, '?')
    .replace(/\b\d+(\.\d+)?\b/g, '?')
    .replace(/\((\s*\?\s*,)+\s*\?\s*\)/g, '(?)')
    .trim();
}

/** Distinct SQL texts whose normal form is remembered; the memo starts over when full. */
const MEMO_MAX = 2_000;

/** Per-statement timings, bounded in memory: at most 500 statements, 256 samples each. */
export class StatementStats {
  private readonly entries = new Map<string, Entry>();
  /**
   * SQL text -> its normal form. The app sends a few hundred distinct texts (parameterised,
   * plus an IN-list per length), each thousands of times: five regular expressions per query
   * were ~1% of the API's CPU under the benchmark's mixed load (docs/hot-path.md).
   */
  private readonly normalised = new Map<string, string>();

  record(sql: string, ms: number): void {
    let key = this.normalised.get(sql);
    if (key === undefined) {
      if (this.normalised.size >= MEMO_MAX) this.normalised.clear();
      key = normaliseSql(sql);
      this.normalised.set(sql, key);
    }
    let entry = this.entries.get(key);
    if (!entry) {
      if (this.entries.size >= MAX_STATEMENTS) this.evictLeastUsed();
      entry = { sql: key, count: 0, totalMs: 0, maxMs: 0, samples: [], next: 0 };
      this.entries.set(key, entry);
    }
    entry.count += 1;
    entry.totalMs += ms;
    entry.maxMs = Math.max(entry.maxMs, ms);
    if (entry.samples.length < SAMPLES) entry.samples.push(ms);
    else entry.samples[entry.next] = ms;
    entry.next = (entry.next + 1) % SAMPLES;
  }

  slowest(limit: number): StatementStatsDto[] {
    return [...this.entries.values()]
      .map((e) => ({
        sql: e.sql,
        count: e.count,
        totalMs: round(e.totalMs),
        meanMs: round(e.totalMs / e.count),
        p95Ms: round(percentile(e.samples, 0.95)),
        maxMs: round(e.maxMs),
      }))
      .sort((a, b) => b.p95Ms - a.p95Ms || b.totalMs - a.totalMs)
      .slice(0, limit);
  }

  private evictLeastUsed(): void {
    let victim: Entry | undefined;
    for (const entry of this.entries.values()) {
      if (!victim || entry.count < victim.count) victim = entry;
    }
    if (victim) this.entries.delete(victim.sql);
  }
}

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)];
}

function round(ms: number): number {
  return Math.round(ms * 100) / 100;
}
