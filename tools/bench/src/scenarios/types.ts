import type { Api } from '../lib/api.js';

/** What the scenarios know of the run: the seeded workspaces and the two APIs. */
export interface Context {
  /** The main dataset's workspaces, oldest first; the reads use the first. */
  main: string[];
  /** 10,020 thinking processes, for keyset page 500. */
  paging: string;
  apis: { baseline: Api; optimized: Api; 'on-read'?: Api };
  /** Filled by the scenarios' `prepare` (e.g. the cursor of page 500). */
  state: Map<string, string>;
  log: (line: string) => void;
  signal: AbortSignal;
}

/** One read measured on every side: the baseline, the optimized API and the ceilings. */
export interface ReadScenario {
  /** Short id: JSON key, CLI `--only` name and the anchor in docs/benchmarks.md. */
  name: string;
  title: string;
  /** The docs page of the optimization it shows. */
  doc: string;
  path: (ctx: Context) => string;
  /** Why an answer is not the expected one, or undefined. */
  check: (body: unknown, ctx: Context) => string | undefined;
  /** What must be equal between the baseline's and the optimized answer (default: all of it). */
  comparable?: (body: unknown) => unknown;
  /** Its requests take seconds (the AI provider on): fewer connections, a longer timeout. */
  slow?: boolean;
  /** The SQL ceiling's route for the same answer, and the file that mirrors the API's SQL. */
  sql?: { path: (ctx: Context) => string; mirror: string };
  /** Runs once before anything is measured, against the optimized API. */
  prepare?: (ctx: Context) => Promise<void>;
}

export function itemsOf(body: unknown): unknown[] | undefined {
  const items = (body as { items?: unknown } | null)?.items;
  return Array.isArray(items) ? items : undefined;
}

export function itemsCheck(count: number): (body: unknown) => string | undefined {
  return (body) => {
    const n = itemsOf(body)?.length;
    return n === count ? undefined : `expected ${count} items, got ${n}`;
  };
}
