import './workspaces.css';
import { AGENT_STATUSES } from '@orch/contracts';

import { Disclosure } from '../../../components/disclosure';
import { ErrorBox } from '../../../components/error-box';
import { Spinner } from '../../../components/spinner';
import { StatusBadge } from '../../../components/status-badge';
import { TimeAgo } from '../../../components/time-ago';
import { isApiError } from '../../../lib/api-client';
import { useSession } from '../../../lib/session';
import { useAddMember } from '../api/add-member';
import { useDashboard } from '../api/get-dashboard';
import { useUpdateWorkspace } from '../api/update-workspace';
import { AddMemberForm, toWorkspaceRequest, WorkspaceForm } from './workspace-forms';

/** The workspace's name and its counts, from the one dashboard request; owner tools. */
export function DashboardHeader({ workspaceId }: { workspaceId: string }) {
  const query = useDashboard(workspaceId);
  const session = useSession();
  const update = useUpdateWorkspace(workspaceId);
  const addMember = useAddMember(workspaceId);

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
  const isOwner = session?.user.id === workspace.ownerId;
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
      <ul className="status-counts" aria-label="Agents by status" data-testid="status-counts">
        {AGENT_STATUSES.map((status) => (
          <li key={status} className="status-counts__item" data-status={status}>
            <StatusBadge status={status} />
            <span className="status-counts__value">{agentStatusCounts[status] ?? 0}</span>
          </li>
        ))}
      </ul>
      {isOwner && (
        <div className="toolbar" aria-label="Owner tools">
          <Disclosure label="Edit workspace" testId="workspace-edit">
            {(close) => (
              <WorkspaceForm
                workspace={workspace}
                onSubmit={(values) => update.mutateAsync(toWorkspaceRequest(values))}
                onDone={close}
              />
            )}
          </Disclosure>
          <Disclosure label="Add member" testId="member-new">
            {() => <AddMemberForm onSubmit={(values) => addMember.mutateAsync(values)} />}
          </Disclosure>
        </div>
      )}
    </header>
  );
}
