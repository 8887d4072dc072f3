import type { RealtimeStats } from '@orch/contracts';

import { BarChart } from '../../../components/charts/bar-chart';
import { Stat } from '../../../components/stat';
import { count } from './format';

/** WebSocket connections against their limits, and what was refused or dropped. */
export function RealtimeSection({ realtime }: { realtime: RealtimeStats }) {
  const rejected = realtime.rejected.workspace_limit + realtime.rejected.global_limit;
  const busiest = Object.entries(realtime.perWorkspace)
    .sort(([, a], [, b]) => b - a)
    .slice(0, 5);
  return (
    <>
      <dl className="stats">
        <Stat
          label="Connections"
          value={`${count(realtime.total)} / ${count(realtime.limits.total)}`}
          note={`${count(realtime.local)} on this instance`}
          testId="perf-ws-connections"
        />
        <Stat label="Rejected" value={count(rejected)} testId="perf-ws-rejected" />
        <Stat label="Dropped: missed heartbeats" value={count(realtime.heartbeatDisconnects)} />
        <Stat label="Dropped: backlog" value={count(realtime.backlogDisconnects)} />
      </dl>
      <BarChart
        title="Connections refused, by reason"
        data={[
          { label: 'workspace limit', value: realtime.rejected.workspace_limit },
          { label: 'global limit', value: realtime.rejected.global_limit },
        ]}
        testId="perf-ws-rejections-chart"
      />
      {busiest.length > 0 && (
        <>
          <h3 className="chart-title">
            Busiest workspaces (limit {realtime.limits.perWorkspace} each)
          </h3>
          <BarChart
            title="Open connections per workspace"
            max={realtime.limits.perWorkspace}
            data={busiest.map(([workspaceId, n]) => ({ label: workspaceId.slice(0, 8), value: n }))}
            testId="perf-ws-workspaces-chart"
          />
        </>
      )}
    </>
  );
}
