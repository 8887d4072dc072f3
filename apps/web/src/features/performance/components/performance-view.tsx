import './performance.css';
import type { ReactNode } from 'react';

import type { WorkspacesPerformanceMetrics } from '@orch/contracts';

import { ErrorBox } from '../../../components/error-box';
import { Section } from '../../../components/section';
import { Spinner } from '../../../components/spinner';
import { TimeAgo } from '../../../components/time-ago';
import { useCacheStats, useMetrics, useOptimizations } from '../api/get-performance';
import { AiSavingsSection, CacheSection } from './cache-section';
import { DatabaseSection } from './database-section';
import { count, duration } from './format';
import { Stat } from '../../../components/stat';
import { OptimizationsSection } from './optimizations-section';
import { RealtimeSection } from './realtime-section';
import { RoutesSection } from './routes-section';

interface Loadable<T> {
  data: T | undefined;
  isPending: boolean;
  error: unknown;
  refetch: () => unknown;
}

/** Loading, error or the content, for one of the three performance reads. */
function Loaded<T>({
  query,
  what,
  children,
}: {
  query: Loadable<T>;
  what: string;
  children: (data: T) => ReactNode;
}) {
  if (query.isPending) return <Spinner label={`Loading ${what}…`} />;
  if (query.data === undefined) {
    return (
      <ErrorBox
        error={query.error}
        title={`Could not load ${what}`}
        onRetry={() => void query.refetch()}
      />
    );
  }
  return <>{children(query.data)}</>;
}

/**
 * What this instance measures about itself, from GET /api/performance/{metrics,cache-stats,
 * optimizations}: refreshed every 30 s and, inside a workspace, on pushed changes (at most
 * once per 20 s). Figures the API doesn't serve yet say so instead of showing a zero.
 */
export function PerformanceView() {
  const metrics = useMetrics();
  const optimizations = useOptimizations();
  if (metrics.data?.scope === 'workspaces') {
    return <WorkspacesPerformance metrics={metrics.data} optimizations={optimizations} />;
  }
  return <InstancePerformance />;
}

/** A member who is no operator: their workspaces' figures and the settings in force. */
function WorkspacesPerformance({
  metrics,
  optimizations,
}: {
  metrics: WorkspacesPerformanceMetrics;
  optimizations: ReturnType<typeof useOptimizations>;
}) {
  return (
    <div className="performance" data-testid="performance-view">
      <header className="performance__header">
        <h1 className="page__title">Performance</h1>
        <span className="muted small">
          your workspaces · up {duration(metrics.uptimeSeconds)} · instance-wide figures are shown
          to operators
        </span>
      </header>
      <div className="columns">
        <Section id="perf-workspaces" title="Your workspaces">
          <ul data-testid="perf-workspaces">
            {metrics.workspaces.map((w) => (
              <li key={w.workspaceId}>
                <strong>{w.name}</strong>{' '}
                <span className="muted small">{JSON.stringify(w.figures)}</span>
              </li>
            ))}
          </ul>
        </Section>
        <Section id="perf-optimizations" title="Optimizations">
          <Loaded query={optimizations} what="the optimizations">
            {(data) => <OptimizationsSection data={data} />}
          </Loaded>
        </Section>
      </div>
    </div>
  );
}

/** An operator: every figure of the instance. */
function InstancePerformance() {
  const query = useMetrics();
  const metrics = {
    ...query,
    data: query.data?.scope === 'instance' ? query.data : undefined,
  };
  const cacheStats = useCacheStats();
  const optimizations = useOptimizations();

  return (
    <div className="performance" data-testid="performance-view">
      <header className="performance__header">
        <h1 className="page__title">Performance</h1>
        {metrics.data && (
          <span className="muted small" data-testid="perf-uptime">
            instance {metrics.data.realtime.instanceId.slice(0, 8)} · up{' '}
            {duration(metrics.data.uptimeSeconds)}
            {metrics.dataUpdatedAt > 0 && (
              <>
                {' · measured '}
                <TimeAgo iso={new Date(metrics.dataUpdatedAt).toISOString()} />
              </>
            )}
            {metrics.isFetching && ' · refreshing…'}
          </span>
        )}
      </header>
      <div className="columns">
        <Section id="perf-latency" title="Latency per route (p95)">
          <Loaded query={metrics} what="the route figures">
            {(data) => <RoutesSection http={data.http} />}
          </Loaded>
        </Section>
        <Section id="perf-optimizations" title="Optimizations">
          <Loaded query={optimizations} what="the optimizations">
            {(data) => <OptimizationsSection data={data} />}
          </Loaded>
        </Section>
      </div>
      <div className="columns">
        <Section id="perf-cache" title="Cache hit rates">
          <Loaded query={cacheStats} what="the cache figures">
            {(data) => <CacheSection stats={data} />}
          </Loaded>
        </Section>
        <Section id="perf-ai" title="AI calls saved">
          <Loaded query={cacheStats} what="the AI figures">
            {(data) => <AiSavingsSection stats={data} />}
          </Loaded>
        </Section>
      </div>
      <div className="columns">
        <Section id="perf-db" title="Database">
          <Loaded query={metrics} what="the database figures">
            {(data) => <DatabaseSection database={data.database} />}
          </Loaded>
        </Section>
        <Section id="perf-ws" title="WebSocket connections">
          <Loaded query={metrics} what="the realtime figures">
            {(data) => <RealtimeSection realtime={data.realtime} />}
          </Loaded>
        </Section>
      </div>
      <Section id="perf-429" title="Rate-limited requests (429)">
        <Loaded query={metrics} what="the rate-limit figures">
          {(data) => (
            <dl className="stats" data-testid="perf-429">
              {Object.entries(data.rateLimited).map(([tier, n]) => (
                <Stat key={tier} label={tier} value={count(n)} />
              ))}
            </dl>
          )}
        </Loaded>
      </Section>
    </div>
  );
}
