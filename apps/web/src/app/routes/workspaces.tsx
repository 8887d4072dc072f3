import { WorkspaceList } from '../../features/workspaces/components/workspace-list';

export function WorkspacesRoute() {
  return (
    <div className="page">
      <h1 className="page__title">Workspaces</h1>
      <WorkspaceList />
    </div>
  );
}
