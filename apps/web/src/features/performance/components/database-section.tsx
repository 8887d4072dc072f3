import type { DatabaseMetrics } from '@orch/contracts';

import { BarChart } from '../../../components/charts/bar-chart';
import { EmptyState } from '../../../components/empty-state';
import { Stat } from '../../../components/stat';
import { count, ms } from './format';

/** Round trips, slow statements, the pool, and the SQL with the highest p95. */
export function DatabaseSection({ database }: { database: DatabaseMetrics }) {
  const { pool, slowestStatements } = database;
  const inUse = pool.total - pool.idle;
  return (
    <>
      <dl className="stats">
        <Stat
          label="Round trips since start"
          value={count(database.queries)}
          testId="perf-db-queries"
        />
        <Stat
          label="Slow statements"
          value={count(database.slowQueries)}
          note={`over ${ms(database.slowQueryThresholdMs)}`}
        />
        <Stat label="Pool in use" value={`${inUse} / ${pool.max}`} note={`${pool.idle} idle`} />
        <Stat label="Waiting for a connection" value={count(pool.waiting)} />
      </dl>
      <h3 className="chart-title">Pool</h3>
      <BarChart
        title={`Database pool: ${inUse} in use, ${pool.idle} idle, ${pool.waiting} waiting, max ${pool.max}`}
        max={Math.max(pool.max, pool.waiting)}
        data={[
          { label: 'in use', value: inUse },
          { label: 'idle', value: pool.idle },
          { label: 'waiting', value: pool.waiting },
        ]}
        testId="perf-pool-chart"
      />
      <h3 className="chart-title">Slowest SQL statements (p95)</h3>
      {slowestStatements.length === 0 ? (
        <EmptyState>No statement recorded yet.</EmptyState>
      ) : (
        <>
          <BarChart
            title="p95 latency of the slowest SQL statements"
            data={slowestStatements.map((s, index) => ({
              label: `#${index + 1} ${s.sql}`,
              value: s.p95Ms,
              display: ms(s.p95Ms),
            }))}
            testId="perf-sql-chart"
          />
          <ol className="sql-list">
            {slowestStatements.map((s) => (
              <li key={s.sql}>
                <code>{s.sql}</code>
                <span className="muted small">
                  {' '}
                  {count(s.count)}× · mean {ms(s.meanMs)} · p95 {ms(s.p95Ms)} · max {ms(s.maxMs)}
                </span>
              </li>
            ))}
          </ol>
        </>
      )}
    </>
  );
}
