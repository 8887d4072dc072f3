import react from '@vitejs/plugin-react';
import { configDefaults, defineConfig } from 'vitest/config';

const contracts = {
  '@orch/contracts': new URL('./libs/contracts/src/index.ts', import.meta.url).pathname,
};

/**
 * The one test runner for the whole repo. Projects:
 * - unit: pure specs beside the code (no services), and the CI scripts' own.
 * - web: the web app's components, hooks and cache logic in jsdom (Testing Library); HTTP
 *   goes to a real local server the spec starts.
 * - api: integration tests against a real Postgres (embedded unless DATABASE_URL is set),
 *   each file on its own database cloned from a migrated template, through the real HTTP server.
 * - e2e: the built app in a real Chromium.
 * - reliability: faults under load and the soak (docs/reliability.md), one file at a time.
 * - measure: simulations that produce a page's figures (minutes each), only with MEASURE=1:
 *   `npm run measure:goal-monitor`. Not part of `npm test`.
 */
const measure = process.env.MEASURE === '1';
export default defineConfig({
  test: {
    // CI also writes a JSON report and per-project totals: tools/ci/check-test-report.mjs fails
    // the run when no test ran, or when a project (a whole tier) ran none.
    reporters: process.env.CI
      ? [
          'default',
          ['json', { outputFile: 'tmp/vitest-report.json' }],
          // per project: tools/ci/check-test-report.mjs fails the run when a tier ran no test.
          ['./tools/ci/project-totals-reporter.mjs', { outputFile: 'tmp/vitest-projects.json' }],
        ]
      : ['default'],
    projects: [
      {
        resolve: { alias: contracts },
        test: {
          name: 'unit',
          environment: 'node',
          sequence: { groupOrder: 0 },
          include: [
            'libs/*/src/**/*.spec.ts',
            'apps/api/src/**/*.spec.ts',
            'tools/ci/**/*.spec.mjs',
          ],
        },
      },
      {
        plugins: [react()],
        resolve: { alias: contracts },
        test: {
          name: 'web',
          environment: 'jsdom',
          sequence: { groupOrder: 0 },
          include: ['apps/web/test/**/*.spec.{ts,tsx}'],
          setupFiles: ['apps/web/test/support/setup.ts'],
        },
      },
      {
        resolve: { alias: contracts },
        test: {
          name: 'api',
          environment: 'node',
          sequence: { groupOrder: 1 },
          include: ['apps/api/test/**/*.spec.ts'],
          exclude: [...configDefaults.exclude, 'apps/api/test/reliability/**'],
          globalSetup: ['apps/api/test/support/global-setup.ts'],
          pool: 'forks',
          maxWorkers: 2,
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      {
        resolve: { alias: contracts },
        test: {
          name: 'e2e',
          environment: 'node',
          sequence: { groupOrder: 2 },
          include: ['apps/web/e2e/**/*.e2e.ts'],
          pool: 'forks',
          fileParallelism: false,
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
      {
        // Faults and the soak under load, one file at a time after every other tier: each
        // drives a load that would slow a neighbouring file, and the soak compares the start
        // of its run with the end, which a neighbour's load would blur.
        resolve: { alias: contracts },
        test: {
          name: 'reliability',
          environment: 'node',
          sequence: { groupOrder: 3 },
          include: ['apps/api/test/reliability/**/*.spec.ts'],
          globalSetup: ['apps/api/test/support/global-setup.ts'],
          pool: 'forks',
          fileParallelism: false,
          testTimeout: 20 * 60_000,
          hookTimeout: 120_000,
        },
      },
      ...(measure
        ? [
            {
              resolve: { alias: contracts },
              test: {
                name: 'measure',
                environment: 'node',
                sequence: { groupOrder: 4 },
                include: ['apps/api/test/measure/**/*.measure.ts'],
                globalSetup: ['apps/api/test/support/global-setup.ts'],
                pool: 'forks' as const,
                fileParallelism: false,
                testTimeout: 20 * 60_000,
                hookTimeout: 120_000,
              },
            },
          ]
        : []),
    ],
  },
});
