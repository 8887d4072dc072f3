import { Link, NavLink, Outlet, useOutletContext, useParams } from 'react-router';

import { useDashboard } from '../../features/workspaces/api/get-dashboard';
import { paths } from '../../lib/paths';
import { LiveIndicator } from '../live/live-indicator';
import { useLiveWorkspace } from '../live/use-live-workspace';
import { NotFoundRoute } from './not-found';

export interface WorkspaceOutletContext {
  workspaceId: string;
}

export function useWorkspaceOutlet(): WorkspaceOutletContext {
  return useOutletContext<WorkspaceOutletContext>();
}

/** /workspaces/:id and its tabs: one socket for the open workspace, whichever tab shows. */
export function WorkspaceRoute() {
  const { workspaceId } = useParams<'workspaceId'>();
  if (!workspaceId) return <NotFoundRoute />;
  // Keyed so that switching workspaces starts from a clean page and a new socket.
  return <WorkspaceLayout key={workspaceId} workspaceId={workspaceId} />;
}

function WorkspaceLayout({ workspaceId }: { workspaceId: string }) {
  const dashboard = useDashboard(workspaceId);
  const live = useLiveWorkspace(workspaceId);
  const context: WorkspaceOutletContext = { workspaceId };

  return (
    <div className="page">
      <nav className="breadcrumbs" aria-label="Breadcrumbs">
        <Link to={paths.workspaces}>Workspaces</Link>
        <span aria-hidden="true">/</span>
        <span>{dashboard.data?.workspace.name ?? '…'}</span>
        <LiveIndicator state={live} />
      </nav>
      <nav className="tabs" aria-label="Workspace views">
        <NavLink to={paths.workspace(workspaceId)} end data-testid="tab-dashboard">
          Dashboard
        </NavLink>
        <NavLink to={paths.workspacePerformance(workspaceId)} data-testid="tab-performance">
          Performance
        </NavLink>
      </nav>
      <Outlet context={context} />
    </div>
  );
}
