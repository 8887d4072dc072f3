import { EmptyState } from '../../../components/empty-state';
import { ErrorBox } from '../../../components/error-box';
import { LoadMore } from '../../../components/load-more';
import { Spinner } from '../../../components/spinner';
import { TimeAgo } from '../../../components/time-ago';
import { shortId } from '../../../lib/format';
import { useDeliverables } from '../api/get-deliverables';

interface DeliverablesListProps {
  workspaceId: string;
  /** Agent names by id, supplied by the page (this feature doesn't load agents). */
  agentNames?: ReadonlyMap<string, string>;
}

export function DeliverablesList({ workspaceId, agentNames }: DeliverablesListProps) {
  const query = useDeliverables(workspaceId);

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
  if (deliverables.length === 0) return <EmptyState>No deliverables yet.</EmptyState>;

  return (
    <>
      <ul className="item-list">
        {deliverables.map((deliverable) => (
          <li
            key={deliverable.id}
            className="item"
            data-testid="deliverable-row"
            data-deliverable-id={deliverable.id}
          >
            <div className="item__header">
              <h3 className="item__title">{deliverable.title}</h3>
              <span className="item__meta">
                {deliverable.agentId ? (
                  <span className="item__agent" title={deliverable.agentId}>
                    {agentNames?.get(deliverable.agentId) ??
                      `agent ${shortId(deliverable.agentId)}`}
                  </span>
                ) : (
                  <span className="muted">no agent</span>
                )}
                {' · '}
                <TimeAgo iso={deliverable.createdAt} />
              </span>
            </div>
            {deliverable.displayStatus === 'ready' && deliverable.displayContent ? (
              <div className="item__display" data-testid="deliverable-display">
                <p className="item__summary">{deliverable.displayContent.summary}</p>
                {/* Sanitised on the server (render.ts): fixed tags, no scripts or handlers. */}
                <div
                  className="item__html"
                  role="article"
                  dangerouslySetInnerHTML={{ __html: deliverable.displayContent.html }}
                />
              </div>
            ) : (
              <>
                <span className="badge badge--pending" title="Display content is being prepared">
                  pending
                </span>
                <pre className="item__content">{deliverable.content}</pre>
              </>
            )}
          </li>
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
