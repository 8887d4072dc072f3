import type { ThinkingProcessWithSteps } from '@orch/contracts';

import type { AgentOption } from '../../../components/agent-options';
import { Disclosure } from '../../../components/disclosure';
import { EmptyState } from '../../../components/empty-state';
import { ErrorBox } from '../../../components/error-box';
import { LoadMore } from '../../../components/load-more';
import { Spinner } from '../../../components/spinner';
import { StatusBadge } from '../../../components/status-badge';
import { TimeAgo } from '../../../components/time-ago';
import { shortId } from '../../../lib/format';
import { useAppendStep } from '../api/append-step';
import { useThinking } from '../api/get-thinking';
import { useStartThinking } from '../api/start-thinking';
import { StepKindBadge } from './step-kind-badge';
import { AppendStepForm, StartThinkingForm } from './thinking-forms';

interface ThinkingListProps {
  workspaceId: string;
  /** The workspace's agents, supplied by the page (this feature doesn't load agents). */
  agents: readonly AgentOption[];
  agentNames?: ReadonlyMap<string, string>;
}

export function ThinkingList({ workspaceId, agents, agentNames }: ThinkingListProps) {
  const query = useThinking(workspaceId);
  const start = useStartThinking(workspaceId);

  if (query.isPending) return <Spinner label="Loading thinking processes…" />;
  if (!query.data) {
    return (
      <ErrorBox
        error={query.error}
        title="Could not load thinking processes"
        onRetry={() => void query.refetch()}
      />
    );
  }

  const processes = query.data.pages.flatMap((page) => page.items);

  return (
    <>
      <div className="toolbar">
        <Disclosure label="Start thinking" testId="thinking-new">
          {(close) => (
            <StartThinkingForm
              agents={agents}
              onSubmit={(values) => start.mutateAsync(values)}
              onDone={close}
            />
          )}
        </Disclosure>
      </div>
      {processes.length === 0 ? (
        <EmptyState>No thinking processes yet.</EmptyState>
      ) : (
        <ul className="item-list">
          {processes.map((process) => (
            <ThinkingProcessItem
              key={process.id}
              workspaceId={workspaceId}
              process={process}
              agentName={agentNames?.get(process.agentId)}
            />
          ))}
        </ul>
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

interface ThinkingProcessItemProps {
  workspaceId: string;
  process: ThinkingProcessWithSteps;
  agentName: string | undefined;
}

function ThinkingProcessItem({ workspaceId, process, agentName }: ThinkingProcessItemProps) {
  const append = useAppendStep(workspaceId, process.id);
  return (
    <li
      className="item"
      data-testid="thinking-process"
      data-process-id={process.id}
      data-status={process.status}
    >
      <div className="item__header">
        <h3 className="item__title">{process.title}</h3>
        <StatusBadge status={process.status} />
        <span className="item__meta">
          <span className="item__agent" title={process.agentId}>
            {agentName ?? `agent ${shortId(process.agentId)}`}
          </span>
          {' · '}
          <TimeAgo iso={process.createdAt} />
        </span>
      </div>
      {process.steps.length === 0 ? (
        <div className="muted small">No steps yet.</div>
      ) : (
        <ol className="steps">
          {process.steps.map((step) => (
            <li
              key={step.id}
              className="step"
              data-testid="thinking-step"
              data-step-id={step.id}
              data-kind={step.kind}
            >
              <StepKindBadge kind={step.kind} />
              <span className="step__content">{step.content}</span>
              <span className="step__time muted">
                <TimeAgo iso={step.createdAt} />
              </span>
            </li>
          ))}
        </ol>
      )}
      {process.status === 'running' && (
        <Disclosure label="Append step" testId="step-new">
          {() => <AppendStepForm onSubmit={(values) => append.mutateAsync(values)} />}
        </Disclosure>
      )}
    </li>
  );
}
