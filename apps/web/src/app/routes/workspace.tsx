import { useMemo } from 'react';
import { Link, useParams } from 'react-router';

import { Section } from '../../components/section';
import { AgentsTable } from '../../features/agents/components/agents-table';
import { DeliverablesList } from '../../features/deliverables/components/deliverables-list';
import { ThinkingList } from '../../features/thinking/components/thinking-list';
import { useDashboard } from '../../features/workspaces/api/get-dashboard';
import { DashboardHeader } from '../../features/workspaces/components/dashboard-header';
import { isApiError } from '../../lib/api-client';
import { paths } from '../../lib/paths';
import { LiveIndicator } from '../live-indicator';
import { useLiveWorkspace } from '../use-live-workspace';
import { NotFoundRoute } from './not-found';

export function WorkspaceRoute() {
  const { workspaceId } = useParams<'workspaceId'>();
  if (!workspaceId) return <NotFoundRoute />;
  // Keyed so that switching workspaces starts from a clean page.
  return <WorkspacePage key={workspaceId} workspaceId={workspaceId} />;
}

function WorkspacePage({ workspaceId }: { workspaceId: string }) {
  const dashboard = useDashboard(workspaceId);
  const live = useLiveWorkspace(workspaceId);

  // Deliverables and thinking processes carry agent ids; the dashboard already has the agents.
  const agents = dashboard.data?.agents;
  const agentNames = useMemo(
    () => new Map((agents ?? []).map((agent) => [agent.id, agent.name] as const)),
    [agents],
  );

  const missing =
    isApiError(dashboard.error) &&
    !dashboard.data &&
    (dashboard.error.statusCode === 404 || dashboard.error.statusCode === 403);

  return (
    <div className="page">
      <nav className="breadcrumbs" aria-label="Breadcrumbs">
        <Link to={paths.workspaces}>Workspaces</Link>
        <span aria-hidden="true">/</span>
        <span>{dashboard.data?.workspace.name ?? '…'}</span>
        <LiveIndicator state={live} />
      </nav>
      <DashboardHeader workspaceId={workspaceId} />
      {!missing && (
        <>
          <nav className="section-nav" aria-label="Sections">
            <a href="#agents">Agents</a>
            <a href="#deliverables">Deliverables</a>
            <a href="#thinking">Thinking</a>
          </nav>
          <Section id="agents" title="Agents">
            <AgentsTable workspaceId={workspaceId} />
          </Section>
          <div className="columns">
            <Section id="deliverables" title="Deliverables">
              <DeliverablesList workspaceId={workspaceId} agentNames={agentNames} />
            </Section>
            <Section id="thinking" title="Thinking">
              <ThinkingList workspaceId={workspaceId} agentNames={agentNames} />
            </Section>
          </div>
        </>
      )}
    </div>
  );
}
