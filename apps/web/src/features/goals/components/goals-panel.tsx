import './goals.css';
import { useState } from 'react';

import type { Goal, UpdateGoalRequest } from '@orch/contracts';

import type { AgentOption } from '../../../components/agent-options';
import { Disclosure } from '../../../components/disclosure';
import { EmptyState } from '../../../components/empty-state';
import { ErrorBox } from '../../../components/error-box';
import { ProgressBar } from '../../../components/progress-bar';
import { Spinner } from '../../../components/spinner';
import { StatusBadge } from '../../../components/status-badge';
import { TimeAgo } from '../../../components/time-ago';
import { useCreateGoal } from '../api/create-goal';
import { useGoals } from '../api/get-goals';
import { useUpdateGoal } from '../api/update-goal';
import { GoalForm, toGoalRequest, type GoalFormValues } from './goal-form';

interface GoalsPanelProps {
  workspaceId: string;
  agents: readonly AgentOption[];
}

/** Goals with progress, status and the monitor's reason; create, edit, pause and resume. */
export function GoalsPanel({ workspaceId, agents }: GoalsPanelProps) {
  const query = useGoals(workspaceId);
  const create = useCreateGoal(workspaceId);

  if (query.isPending) return <Spinner label="Loading goals…" />;
  if (!query.data) {
    return (
      <ErrorBox
        error={query.error}
        title="Could not load goals"
        onRetry={() => void query.refetch()}
      />
    );
  }
  const goals = query.data.pages.flatMap((page) => page.items);

  return (
    <>
      <div className="toolbar">
        <Disclosure label="New goal" testId="goal-new">
          {(close) => (
            <GoalForm
              agents={agents}
              onSubmit={(values) => create.mutateAsync(toGoalRequest(values))}
              onDone={close}
            />
          )}
        </Disclosure>
      </div>
      {goals.length === 0 ? (
        <EmptyState>No goals yet: set one for the agents to work towards.</EmptyState>
      ) : (
        <ul className="item-list">
          {goals.map((goal) => (
            <GoalItem key={goal.id} goal={goal} workspaceId={workspaceId} agents={agents} />
          ))}
        </ul>
      )}
    </>
  );
}

function changesOf(goal: Goal, values: GoalFormValues): UpdateGoalRequest {
  const next = toGoalRequest(values);
  const changes: UpdateGoalRequest = {};
  if (next.title !== goal.title) changes.title = next.title;
  if ((next.description ?? null) !== goal.description) changes.description = next.description;
  if ((next.targetDeliverables ?? null) !== goal.targetDeliverables) {
    changes.targetDeliverables = next.targetDeliverables;
  }
  if (next.windowHours !== goal.windowHours) changes.windowHours = next.windowHours;
  const agentIds = next.agentIds ?? [];
  if ([...agentIds].sort().join() !== [...goal.agentIds].sort().join()) changes.agentIds = agentIds;
  return changes;
}

function GoalItem({
  goal,
  workspaceId,
  agents,
}: {
  goal: Goal;
  workspaceId: string;
  agents: readonly AgentOption[];
}) {
  const [editing, setEditing] = useState(false);
  const update = useUpdateGoal(workspaceId);
  const paused = goal.status === 'paused';
  const names = goal.agentIds.map(
    (id) => agents.find((agent) => agent.id === id)?.name ?? 'unknown agent',
  );

  return (
    <li
      className="item goal"
      data-testid="goal-row"
      data-goal-id={goal.id}
      data-status={goal.status}
    >
      <div className="item__header">
        <h3 className="item__title">{goal.title}</h3>
        <StatusBadge status={goal.status} />
        <span className="item__actions">
          <button
            type="button"
            className="btn btn--small btn--ghost"
            aria-expanded={editing}
            onClick={() => setEditing((value) => !value)}
            data-testid="goal-edit"
          >
            {editing ? 'Close' : 'Edit'}
            <span className="visually-hidden"> {goal.title}</span>
          </button>
          <button
            type="button"
            className="btn btn--small"
            disabled={update.isPending}
            onClick={() =>
              update.mutate({ goal, changes: { status: paused ? 'active' : 'paused' } })
            }
            data-testid="goal-pause"
          >
            {paused ? 'Resume' : 'Pause'}
            <span className="visually-hidden"> {goal.title}</span>
          </button>
        </span>
      </div>
      <ProgressBar value={goal.progress} label={`Progress of ${goal.title}`} />
      {goal.statusReason && (
        <p className="goal__reason" data-testid="goal-reason">
          {goal.statusReason}
        </p>
      )}
      <div className="item__meta">
        {goal.targetDeliverables
          ? `${goal.targetDeliverables} deliverables in ${goal.windowHours} h`
          : `window ${goal.windowHours} h`}
        {names.length > 0 && ` · ${names.join(', ')}`}
        {goal.lastCheckedAt ? (
          <>
            {' · checked '}
            <TimeAgo iso={goal.lastCheckedAt} />
          </>
        ) : (
          ' · not checked yet'
        )}
      </div>
      {update.error && (
        <div className="form-error" role="alert">
          {update.error.message}
        </div>
      )}
      {editing && (
        <GoalForm
          goal={goal}
          agents={agents}
          onSubmit={(values) => {
            const changes = changesOf(goal, values);
            if (Object.keys(changes).length === 0) return Promise.resolve();
            return update.mutateAsync({ goal, changes });
          }}
          onDone={() => setEditing(false)}
        />
      )}
    </li>
  );
}
