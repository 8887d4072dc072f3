import { EmptyState } from '../../../components/empty-state';
import { ErrorBox } from '../../../components/error-box';
import { LoadMore } from '../../../components/load-more';
import { Spinner } from '../../../components/spinner';
import { StatusBadge } from '../../../components/status-badge';
import { TimeAgo } from '../../../components/time-ago';
import { useAgents } from '../api/get-agents';
import { AgentSettings } from './agent-settings';

export function AgentsTable({ workspaceId }: { workspaceId: string }) {
  const query = useAgents(workspaceId);

  if (query.isPending) return <Spinner label="Loading agents…" />;
  if (!query.data) {
    return (
      <ErrorBox
        error={query.error}
        title="Could not load agents"
        onRetry={() => void query.refetch()}
      />
    );
  }

  const agents = query.data.pages.flatMap((page) => page.items);
  if (agents.length === 0) return <EmptyState>No agents in this workspace yet.</EmptyState>;

  return (
    <>
      <div className="table-wrap">
        <table className="table" data-testid="agents-table">
          <thead>
            <tr>
              <th>Name</th>
              <th>Role</th>
              <th>Model</th>
              <th>Status</th>
              <th>Settings</th>
              <th className="table__num">Updated</th>
            </tr>
          </thead>
          <tbody>
            {agents.map((agent) => (
              <tr
                key={agent.id}
                data-testid="agent-row"
                data-agent-id={agent.id}
                data-status={agent.status}
                className={agent.status === 'terminated' ? 'is-terminated' : undefined}
              >
                <td className="strong">{agent.name}</td>
                <td>{agent.role}</td>
                <td>
                  <code>{agent.model}</code>
                </td>
                <td>
                  <StatusBadge status={agent.status} />
                </td>
                <td>
                  <AgentSettings settings={agent.settings} />
                </td>
                <td className="table__num muted">
                  <TimeAgo iso={agent.updatedAt} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <LoadMore
        hasNextPage={query.hasNextPage}
        isFetchingNextPage={query.isFetchingNextPage}
        fetchNextPage={query.fetchNextPage}
        error={query.isFetchNextPageError ? query.error : undefined}
      />
    </>
  );
}
