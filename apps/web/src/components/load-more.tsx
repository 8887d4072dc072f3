interface LoadMoreProps {
  hasNextPage: boolean;
  isFetchingNextPage: boolean;
  fetchNextPage: () => unknown;
  /** Set when the last "load more" failed. */
  error?: unknown;
}

/** The "Load more" button under a cursor-paginated list; renders nothing on the last page. */
export function LoadMore({ hasNextPage, isFetchingNextPage, fetchNextPage, error }: LoadMoreProps) {
  if (!hasNextPage) return null;
  return (
    <div className="load-more">
      {error instanceof Error && <span className="load-more__error">{error.message}</span>}
      <button
        type="button"
        className="btn btn--small"
        data-testid="load-more"
        disabled={isFetchingNextPage}
        onClick={() => void fetchNextPage()}
      >
        {isFetchingNextPage ? 'Loading…' : error ? 'Try again' : 'Load more'}
      </button>
    </div>
  );
}
