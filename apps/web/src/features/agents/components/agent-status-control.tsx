import { useState } from 'react';

import { AGENT_STATUSES, type Agent, type AgentStatus } from '@orch/contracts';

import { StatusBadge } from '../../../components/status-badge';
import { isApiError } from '../../../lib/api-client';
import { useUpdateAgent } from '../api/update-agent';

/**
 * The agent's status, changeable in place (optimistically). Terminated is final: the API
 * refuses any change after it, so it takes a confirmation and then shows no control.
 */
export function AgentStatusControl({ agent, workspaceId }: { agent: Agent; workspaceId: string }) {
  const update = useUpdateAgent(workspaceId);
  const [confirming, setConfirming] = useState(false);

  if (agent.status === 'terminated') {
    return (
      <span className="status-final" data-testid="agent-status-final">
        <StatusBadge status="terminated" /> <span className="muted small">final</span>
      </span>
    );
  }

  const change = (status: AgentStatus) => {
    update.reset();
    update.mutate({ agent, changes: { status } });
  };
  const error = update.error;

  return (
    <div className="status-control">
      <StatusBadge status={agent.status} />
      <label className="visually-hidden" htmlFor={`status-${agent.id}`}>
        Status of {agent.name}
      </label>
      <select
        id={`status-${agent.id}`}
        value={agent.status}
        onChange={(event) => {
          const next = event.target.value as AgentStatus;
          if (next === 'terminated') setConfirming(true);
          else change(next);
        }}
        data-testid="agent-status-select"
        data-updated={agent.updatedAt}
      >
        {AGENT_STATUSES.map((status) => (
          <option key={status} value={status}>
            {status}
          </option>
        ))}
      </select>
      {confirming && (
        <span className="confirm" role="group" aria-label={`Terminate ${agent.name}?`}>
          <span className="small">Terminate? This is final.</span>
          <button
            type="button"
            className="btn btn--small btn--danger"
            onClick={() => {
              setConfirming(false);
              change('terminated');
            }}
            data-testid="agent-terminate-confirm"
          >
            Terminate
          </button>
          <button
            type="button"
            className="btn btn--small btn--ghost"
            onClick={() => setConfirming(false)}
          >
            Keep
          </button>
        </span>
      )}
      {error && (
        <span className="field__error" role="alert">
          {isApiError(error) && error.code === 'AGENT_TERMINATED'
            ? 'This agent was terminated meanwhile.'
            : error.message}
        </span>
      )}
    </div>
  );
}
