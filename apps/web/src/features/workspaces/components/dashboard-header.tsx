import { AGENT_STATUSES } from '@orch/contracts';

import { ErrorBox } from '../../../components/error-box';
import { Spinner } from '../../../components/spinner';
import { StatusBadge } from '../../../components/status-badge';
import { TimeAgo } from '../../../components/time-ago';
import { isApiError } from '../../../lib/api-client';
import { useDashboard } from '../api/get-dashboard';

/** The workspace's name and its counts, from the one dashboard request. */
export function DashboardHeader({ workspaceId }: { workspaceId: string }) {
  const query = useDashboard(workspaceId);

  if (query.isPending) return <Spinner label="Loading workspace…" />;
  if (!query.data) {
    const notFound = isApiError(query.error) && query.error.statusCode === 404;
    return (
      <ErrorBox
        error={query.error}
        title={notFound ? 'Workspace not found' : 'Could not load the workspace'}
        onRetry={notFound ? undefined : () => void query.refetch()}
      />
    );
  }

  const { workspace, counts, agentStatusCounts } = query.data;
  const stats: { label: string; value: number; key: string }[] = [
    { key: 'agents', label: 'Agents', value: counts.agents },
    { key: 'deliverables', label: 'Deliverables', value: counts.deliverables },
    { key: 'thinking', label: 'Thinking processes', value: counts.thinkingProcesses },
    { key: 'goals', label: 'Goals', value: counts.goals },
  ];

  return (
    <header className="workspace-header">
      <div className="workspace-header__title-row">
        <h1 className="workspace-header__title" data-testid="workspace-title">
          {workspace.name}
        </h1>
        <span className="muted">
          updated <TimeAgo iso={workspace.updatedAt} />
          {query.isFetching && ' · refreshing…'}
        </span>
      </div>
      {workspace.description && (
        <p className="workspace-header__description">{workspace.description}</p>
      )}
      <dl className="stats" data-testid="dashboard-counts">
        {stats.map((stat) => (
          <div key={stat.key} className="stat" data-testid={`count-${stat.key}`}>
            <dt className="stat__label">{stat.label}</dt>
            <dd className="stat__value">{stat.value.toLocaleString()}</dd>
          </div>
        ))}
      </dl>
      <ul className="status-counts" aria-label="Agents by status">
        {AGENT_STATUSES.map((status) => (
          <li key={status} className="status-counts__item">
            <StatusBadge status={status} />
            <span className="status-counts__value">{agentStatusCounts[status] ?? 0}</span>
          </li>
        ))}
      </ul>
    </header>
  );
}
