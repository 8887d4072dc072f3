import './workspaces.css';
import { Link, useNavigate } from 'react-router';

import { Badge } from '../../../components/badge';
import { Disclosure } from '../../../components/disclosure';
import { EmptyState } from '../../../components/empty-state';
import { ErrorBox } from '../../../components/error-box';
import { LoadMore } from '../../../components/load-more';
import { Spinner } from '../../../components/spinner';
import { TimeAgo } from '../../../components/time-ago';
import { paths } from '../../../lib/paths';
import { useCreateWorkspace } from '../api/create-workspace';
import { useWorkspaces } from '../api/get-workspaces';
import { toWorkspaceRequest, WorkspaceForm } from './workspace-forms';

export function WorkspaceList() {
  const query = useWorkspaces();
  const create = useCreateWorkspace();
  const navigate = useNavigate();

  const newWorkspace = (
    <div className="toolbar">
      <Disclosure label="New workspace" testId="workspace-new">
        {(close) => (
          <WorkspaceForm
            onSubmit={async (values) => {
              const workspace = await create.mutateAsync(toWorkspaceRequest(values));
              void navigate(paths.workspace(workspace.id));
            }}
            onDone={close}
          />
        )}
      </Disclosure>
    </div>
  );

  if (query.isPending) return <Spinner label="Loading workspaces…" />;
  if (!query.data) {
    return (
      <ErrorBox
        error={query.error}
        title="Could not load workspaces"
        onRetry={() => void query.refetch()}
      />
    );
  }

  const workspaces = query.data.pages.flatMap((page) => page.items);

  return (
    <>
      {newWorkspace}
      {workspaces.length === 0 ? (
        <EmptyState>You are not a member of any workspace yet: create one.</EmptyState>
      ) : (
        <ul className="workspace-list">
          {workspaces.map((workspace) => (
            <li key={workspace.id} className="workspace-list__item">
              <Link
                to={paths.workspace(workspace.id)}
                className="workspace-card"
                data-testid="workspace-link"
              >
                <span className="workspace-card__name">{workspace.name}</span>
                <Badge tone={workspace.role === 'owner' ? 'purple' : 'neutral'}>
                  {workspace.role}
                </Badge>
                {workspace.description && (
                  <span className="workspace-card__description">{workspace.description}</span>
                )}
                <span className="workspace-card__meta">
                  Updated <TimeAgo iso={workspace.updatedAt} />
                </span>
              </Link>
            </li>
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
