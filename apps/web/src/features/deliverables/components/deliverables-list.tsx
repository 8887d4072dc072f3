import type { AgentOption } from '../../../components/agent-options';
import { Disclosure } from '../../../components/disclosure';
import { EmptyState } from '../../../components/empty-state';
import { ErrorBox } from '../../../components/error-box';
import { LoadMore } from '../../../components/load-more';
import { Spinner } from '../../../components/spinner';
import { useCreateDeliverable } from '../api/create-deliverable';
import { useDeliverables } from '../api/get-deliverables';
import { DeliverableForm, toDeliverableRequest } from './deliverable-form';
import { DeliverableItem } from './deliverable-item';

interface DeliverablesListProps {
  workspaceId: string;
  /** The workspace's agents, supplied by the page (this feature doesn't load agents). */
  agents: readonly AgentOption[];
  agentNames?: ReadonlyMap<string, string>;
}

export function DeliverablesList({ workspaceId, agents, agentNames }: DeliverablesListProps) {
  const query = useDeliverables(workspaceId);
  const create = useCreateDeliverable(workspaceId);

  if (query.isPending) return <Spinner label="Loading deliverables…" />;
  if (!query.data) {
    return (
      <ErrorBox
        error={query.error}
        title="Could not load deliverables"
        onRetry={() => void query.refetch()}
      />
    );
  }

  const deliverables = query.data.pages.flatMap((page) => page.items);

  return (
    <>
      <div className="toolbar">
        <Disclosure label="New deliverable" testId="deliverable-new">
          {(close) => (
            <DeliverableForm
              agents={agents}
              onSubmit={(values) => create.mutateAsync(toDeliverableRequest(values))}
              onDone={close}
            />
          )}
        </Disclosure>
      </div>
      {deliverables.length === 0 ? (
        <EmptyState>No deliverables yet.</EmptyState>
      ) : (
        <ul className="item-list">
          {deliverables.map((deliverable) => (
            <DeliverableItem
              key={deliverable.id}
              deliverable={deliverable}
              workspaceId={workspaceId}
              agents={agents}
              agentNames={agentNames}
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
