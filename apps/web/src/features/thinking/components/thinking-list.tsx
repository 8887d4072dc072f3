import type { ThinkingProcessWithSteps } from '@orch/contracts';

import { EmptyState } from '../../../components/empty-state';
import { ErrorBox } from '../../../components/error-box';
import { LoadMore } from '../../../components/load-more';
import { Spinner } from '../../../components/spinner';
import { StatusBadge } from '../../../components/status-badge';
import { TimeAgo } from '../../../components/time-ago';
import { shortId } from '../../../lib/format';
import { useThinking } from '../api/get-thinking';
import { StepKindBadge } from './step-kind-badge';

interface ThinkingListProps {
  workspaceId: string;
  /** Agent names by id, supplied by the page (this feature doesn't load agents). */
  agentNames?: ReadonlyMap<string, string>;
}

export function ThinkingList({ workspaceId, agentNames }: ThinkingListProps) {
  const query = useThinking(workspaceId);

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
  if (processes.length === 0) return <EmptyState>No thinking processes yet.</EmptyState>;

  return (
    <>
      <ul className="item-list">
        {processes.map((process) => (
          <ThinkingProcessItem
            key={process.id}
            process={process}
            agentName={agentNames?.get(process.agentId)}
          />
        ))}
      </ul>
      <LoadMore
        hasNextPage={query.hasNextPage}
        isFetchingNextPage={query.isFetchingNextPage}
        fetchNextPage={query.fetchNextPage}
        error={query.isFetchNextPageError ? query.error : undefined}
      />
    </>
  );
}

function ThinkingProcessItem({
  process,
  agentName,
}: {
  process: ThinkingProcessWithSteps;
  agentName: string | undefined;
}) {
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
            <li key={step.id} className="step" data-testid="thinking-step" data-kind={step.kind}>
              <StepKindBadge kind={step.kind} />
              <span className="step__content">{step.content}</span>
              <span className="step__time muted">
                <TimeAgo iso={step.createdAt} />
              </span>
            </li>
          ))}
        </ol>
      )}
    </li>
  );
}
