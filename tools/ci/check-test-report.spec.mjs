import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { problems } from './check-test-report.mjs';

const SCRIPT = fileURLToPath(import.meta.resolve('./check-test-report.mjs'));
const green = {
  numTotalTests: 12,
  numFailedTests: 0,
  numPendingTests: 0,
  numTodoTests: 0,
  success: true,
};
const tier = (passed, extra = {}) => ({
  files: 1,
  passed,
  failed: 0,
  skipped: 0,
  erroredFiles: 0,
  ...extra,
});
const all = {
  unhandledErrors: 0,
  projects: { unit: tier(5), web: tier(3), api: tier(3), e2e: tier(1) },
};
const ALL = ['unit', 'web', 'api', 'e2e'];

describe('check-test-report: the verdict', () => {
  it('passes a run where every expected project passed tests', () => {
    expect(problems(green, all, ALL)).toEqual([]);
    expect(problems(green, { projects: { api: tier(3) } }, ['api'])).toEqual([]);
  });

  it('fails a run that lost a whole tier while the totals stay green', () => {
    const rest = Object.fromEntries(
      Object.entries(all.projects).filter(([name]) => name !== 'e2e'),
    );
    expect(problems(green, { unhandledErrors: 0, projects: rest }, ALL)).toEqual([
      'Project "e2e" ran no test file: is its include glob still matching?',
    ]);
  });

  it('fails a tier that ran files but passed nothing, skipped or failed tests, errored files', () => {
    const projects = {
      ...all.projects,
      unit: tier(0),
      web: tier(2, { skipped: 1 }),
      api: tier(2, { failed: 1, erroredFiles: 1 }),
    };
    expect(problems(green, { projects }, ALL)).toEqual([
      'Project "unit" ran 1 file(s) but passed no test.',
      'Project "web": 1 skipped test(s).',
      'Project "api": 1 failed test(s), 1 file(s) errored.',
    ]);
  });

  it('fails on the overall report alone: no test, a failure, skips, unhandled errors', () => {
    expect(problems({ ...green, numTotalTests: 0 }, all, ALL)).toContain(
      'No test ran: the run is a failure.',
    );
    expect(problems({ ...green, success: false }, all, ALL)).toEqual(['The test run failed.']);
    expect(problems({ ...green, numTodoTests: 1 }, all, ALL)).toEqual([
      'Skipped tests: every test must run in CI.',
    ]);
    expect(problems(green, { ...all, unhandledErrors: 2 }, ALL)).toEqual([
      '2 unhandled error(s) during the run.',
    ]);
  });
});

describe('check-test-report: the command', () => {
  let dir;
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });
  const run = (report, byProject, expected) => {
    dir = mkdtempSync(join(tmpdir(), 'check-report-'));
    writeFileSync(join(dir, 'vitest-report.json'), JSON.stringify(report));
    if (byProject) writeFileSync(join(dir, 'vitest-projects.json'), JSON.stringify(byProject));
    const args = [SCRIPT, join(dir, 'vitest-report.json'), ...(expected ? [expected] : [])];
    return spawnSync(process.execPath, args, { encoding: 'utf8' });
  };

  it('exits 0 for a good run and 1 for a missing tier, saying which', () => {
    expect(run(green, all, 'unit,web,api,e2e').status).toBe(0);
    const missing = run(green, { projects: { unit: tier(1) } }, 'unit,api');
    expect(missing.status).toBe(1);
    expect(missing.stderr).toContain('Project "api" ran no test file');
  });

  it('refuses to run without the list of expected projects or without the per-project totals', () => {
    expect(run(green, all).status).toBe(2);
    const noTotals = run(green, undefined, 'api');
    expect(noTotals.status).toBe(1);
    expect(noTotals.stderr).toContain('no per-project totals');
  });
});
