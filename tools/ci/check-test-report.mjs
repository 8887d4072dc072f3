// Reads Vitest's JSON report and fails unless tests ran and all passed.
// Vitest exits 0 on some configuration errors (it then runs no test at all),
// so CI does not trust the exit code alone.
import { readFileSync } from 'node:fs';

const file = process.argv[2] ?? 'tmp/vitest-report.json';
let report;
try {
  report = JSON.parse(readFileSync(file, 'utf8'));
} catch (error) {
  console.error(`no test report at ${file}: ${error instanceof Error ? error.message : error}`);
  process.exit(1);
}
const { numTotalTests, numPassedTests, numFailedTests, numPendingTests, numTodoTests, success } =
  report;
const skipped = (numPendingTests ?? 0) + (numTodoTests ?? 0);
console.log(`vitest: ${numPassedTests} passed, ${numFailedTests} failed, ${skipped} skipped`);
if (!success || numTotalTests === 0 || numFailedTests > 0 || skipped > 0) {
  console.error(
    numTotalTests === 0
      ? 'No test ran: the run is a failure.'
      : skipped > 0
        ? 'Skipped tests: every test must run in CI.'
        : 'The test run failed.',
  );
  process.exit(1);
}
