import type { HttpMetrics } from '@orch/contracts';

import { BarChart } from '../../../components/charts/bar-chart';
import { EmptyState } from '../../../components/empty-state';
import { Stat } from '../../../components/stat';
import { count, ms } from './format';

/** Requests and errors since start, and the routes with the highest p95 (of 10 at most). */
export function RoutesSection({ http }: { http: HttpMetrics }) {
  const slowest = http.slowestRoutes;
  return (
    <>
      <dl className="stats">
        <Stat label="Requests since start" value={count(http.requests)} testId="perf-requests" />
        <Stat label="Server errors (5xx)" value={count(http.errors)} />
      </dl>
      {slowest.length === 0 ? (
        <EmptyState>No request recorded yet.</EmptyState>
      ) : (
        <>
          <BarChart
            title="p95 latency of the slowest routes"
            data={slowest.map((r) => ({
              label: `${r.method} ${r.route}`,
              value: r.p95Ms,
              display: ms(r.p95Ms),
            }))}
            testId="perf-routes-chart"
          />
          <ol className="sql-list">
            {slowest.map((r) => (
              <li key={`${r.method} ${r.route}`}>
                <code>
                  {r.method} {r.route}
                </code>
                <span className="muted small">
                  {' '}
                  {count(r.count)}× · p50 {ms(r.p50Ms)} · p99 {ms(r.p99Ms)} · max {ms(r.maxMs)} ·{' '}
                  {r.meanDbQueries.toFixed(1)} queries/request
                </span>
              </li>
            ))}
          </ol>
        </>
      )}
    </>
  );
}
