// A Vitest reporter that writes, per project (unit, web, api, e2e), how many test files ran and
// how many tests passed, failed or were skipped. Vitest's JSON report lists files by path only,
// so without this a tier whose files stopped matching its include glob (a renamed e2e file, a
// broken glob) would vanish from the run while the totals still look healthy.
// tools/ci/check-test-report.mjs reads the file this writes.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

export default class ProjectTotalsReporter {
  /** @param {{ outputFile?: string }} [options] */
  constructor(options = {}) {
    this.outputFile = options.outputFile ?? 'tmp/vitest-projects.json';
  }

  /** @param {ReadonlyArray<import('vitest/node').TestModule>} testModules */
  onTestRunEnd(testModules, unhandledErrors, reason) {
    /** @type {Record<string, { files: number, passed: number, failed: number, skipped: number, erroredFiles: number }>} */
    const projects = {};
    for (const module of testModules) {
      const name = module.project.name || '(root)';
      const totals = (projects[name] ??= {
        files: 0,
        passed: 0,
        failed: 0,
        skipped: 0,
        erroredFiles: 0,
      });
      totals.files += 1;
      if (module.state() === 'failed' && module.errors().length > 0) totals.erroredFiles += 1;
      for (const test of module.children.allTests()) {
        const state = test.result().state;
        if (state === 'passed') totals.passed += 1;
        else if (state === 'failed') totals.failed += 1;
        else totals.skipped += 1;
      }
    }
    mkdirSync(dirname(this.outputFile), { recursive: true });
    writeFileSync(
      this.outputFile,
      `${JSON.stringify({ reason, unhandledErrors: unhandledErrors.length, projects }, null, 2)}\n`,
    );
  }
}
