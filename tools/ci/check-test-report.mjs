// Fails CI unless every expected Vitest project ran and passed at least one test, and nothing
// failed or was skipped. Vitest exits 0 on some configuration errors (it then runs no test at
// all), and a whole tier can drop out of a run (a renamed browser test, an include glob that
// matches nothing) while the other tiers keep the totals green, so CI trusts neither the exit
// code nor the overall count.
//
//   node tools/ci/check-test-report.mjs <vitest-report.json> <project,project,...>
//
// The per-project totals come from tools/ci/project-totals-reporter.mjs, which writes
// vitest-projects.json beside the JSON report.
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

/**
 * The verdict on one run: a list of problems, empty when the run is good.
 * @param {any} report Vitest's JSON report
 * @param {any} byProject what project-totals-reporter.mjs wrote
 * @param {string[]} expected the projects this run must have run
 */
export function problems(report, byProject, expected) {
  const found = [];
  const { numTotalTests, numFailedTests, numPendingTests, numTodoTests, success } = report;
  const skipped = (numPendingTests ?? 0) + (numTodoTests ?? 0);
  if (!numTotalTests) found.push('No test ran: the run is a failure.');
  if (!success || numFailedTests > 0) found.push('The test run failed.');
  if (skipped > 0) found.push('Skipped tests: every test must run in CI.');
  const projects = byProject?.projects ?? {};
  if (byProject?.reason === 'interrupted') found.push('The run was interrupted.');
  if (byProject?.unhandledErrors > 0) {
    found.push(`${byProject.unhandledErrors} unhandled error(s) during the run.`);
  }
  for (const name of expected) {
    const p = projects[name];
    if (!p || !(p.files > 0)) {
      found.push(`Project "${name}" ran no test file: is its include glob still matching?`);
    } else if (!(p.passed > 0)) {
      found.push(`Project "${name}" ran ${p.files} file(s) but passed no test.`);
    }
    if (p && (p.failed > 0 || p.erroredFiles > 0)) {
      found.push(
        `Project "${name}": ${p.failed} failed test(s), ${p.erroredFiles} file(s) errored.`,
      );
    }
    if (p && p.skipped > 0) found.push(`Project "${name}": ${p.skipped} skipped test(s).`);
  }
  return found;
}

function readJson(file, what) {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    console.error(`no ${what} at ${file}: ${error instanceof Error ? error.message : error}`);
    process.exit(1);
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const file = process.argv[2] ?? 'tmp/vitest-report.json';
  const expected = (process.argv[3] ?? '').split(',').filter(Boolean);
  if (expected.length === 0) {
    console.error('usage: check-test-report.mjs <vitest-report.json> <project,project,...>');
    process.exit(2);
  }
  const report = readJson(file, 'test report');
  const byProject = readJson(join(dirname(file), 'vitest-projects.json'), 'per-project totals');
  for (const [name, p] of Object.entries(byProject.projects ?? {})) {
    console.log(
      `vitest ${name}: ${p.files} file(s), ${p.passed} passed, ${p.failed} failed, ${p.skipped} skipped`,
    );
  }
  const found = problems(report, byProject, expected);
  for (const problem of found) console.error(problem);
  if (found.length > 0) process.exit(1);
  console.log(`vitest: every expected project ran and passed (${expected.join(', ')})`);
}
