import { Fragment, useState } from 'react';

import type { Agent } from '@orch/contracts';

import { Disclosure } from '../../../components/disclosure';
import { EmptyState } from '../../../components/empty-state';
import { ErrorBox } from '../../../components/error-box';
import { LoadMore } from '../../../components/load-more';
import { Spinner } from '../../../components/spinner';
import { TimeAgo } from '../../../components/time-ago';
import { useCreateAgent } from '../api/create-agent';
import { useAgents } from '../api/get-agents';
import { useUpdateAgent } from '../api/update-agent';
import { AgentForm } from './agent-form';
import { toCreateAgentRequest, toUpdateAgentRequest } from './agent-schema';
import { AgentSettings } from './agent-settings';
import { AgentStatusControl } from './agent-status-control';

export function AgentsTable({ workspaceId }: { workspaceId: string }) {
  const query = useAgents(workspaceId);
  const create = useCreateAgent(workspaceId);
  const [editing, setEditing] = useState<string | null>(null);

  const newAgent = (
    <Disclosure label="New agent" testId="agent-new">
      {(close) => (
        <AgentForm
          onSubmit={(values) => create.mutateAsync(toCreateAgentRequest(values))}
          onDone={close}
        />
      )}
    </Disclosure>
  );

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

  return (
    <>
      <div className="toolbar">{newAgent}</div>
      {agents.length === 0 ? (
        <EmptyState>No agents in this workspace yet.</EmptyState>
      ) : (
        <div className="table-wrap">
          <table className="table" data-testid="agents-table">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Role</th>
                <th scope="col">Model</th>
                <th scope="col">Status</th>
                <th scope="col">Settings</th>
                <th scope="col" className="table__num">
                  Updated
                </th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {agents.map((agent) => (
                <Fragment key={agent.id}>
                  <AgentRow
                    agent={agent}
                    workspaceId={workspaceId}
                    editing={editing === agent.id}
                    onEdit={() => setEditing(editing === agent.id ? null : agent.id)}
                  />
                  {editing === agent.id && (
                    <tr className="table__editor">
                      <td colSpan={7}>
                        <EditAgent
                          agent={agent}
                          workspaceId={workspaceId}
                          onDone={() => setEditing(null)}
                        />
                      </td>
                    </tr>
                  )}
                </Fragment>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <LoadMore
        hasNextPage={query.hasNextPage}
        isFetchingNextPage={query.isFetchingNextPage}
        fetchNextPage={query.fetchNextPage}
        error={query.isFetchNextPageError ? query.error : undefined}
      />
    </>
  );
}

interface AgentRowProps {
  agent: Agent;
  workspaceId: string;
  editing: boolean;
  onEdit: () => void;
}

function AgentRow({ agent, workspaceId, editing, onEdit }: AgentRowProps) {
  const terminated = agent.status === 'terminated';
  return (
    <tr
      data-testid="agent-row"
      data-agent-id={agent.id}
      data-status={agent.status}
      className={terminated ? 'is-terminated' : undefined}
    >
      <td className="strong">{agent.name}</td>
      <td>{agent.role}</td>
      <td>
        <code>{agent.model}</code>
      </td>
      <td>
        <AgentStatusControl agent={agent} workspaceId={workspaceId} />
      </td>
      <td>
        <AgentSettings settings={agent.settings} />
      </td>
      <td className="table__num muted">
        <TimeAgo iso={agent.updatedAt} />
      </td>
      <td>
        {!terminated && (
          <button
            type="button"
            className="btn btn--small btn--ghost"
            aria-expanded={editing}
            onClick={onEdit}
            data-testid="agent-edit"
          >
            {editing ? 'Close' : 'Edit'}
            <span className="visually-hidden"> {agent.name}</span>
          </button>
        )}
      </td>
    </tr>
  );
}

function EditAgent({
  agent,
  workspaceId,
  onDone,
}: {
  agent: Agent;
  workspaceId: string;
  onDone: () => void;
}) {
  const update = useUpdateAgent(workspaceId);
  return (
    <AgentForm
      agent={agent}
      onSubmit={(values) => {
        const changes = toUpdateAgentRequest(agent, values);
        if (Object.keys(changes).length === 0) return Promise.resolve();
        return update.mutateAsync({ agent, changes });
      }}
      onDone={onDone}
    />
  );
}
