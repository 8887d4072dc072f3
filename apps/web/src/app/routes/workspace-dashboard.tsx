import { useMemo } from 'react';

import type { AgentOption } from '../../components/agent-options';
import { Section } from '../../components/section';
import { AgentsTable } from '../../features/agents/components/agents-table';
import { DeliverablesList } from '../../features/deliverables/components/deliverables-list';
import { GoalsPanel } from '../../features/goals/components/goals-panel';
import { QuotaPanel } from '../../features/quota/components/quota-panel';
import { ThinkingList } from '../../features/thinking/components/thinking-list';
import { useDashboard } from '../../features/workspaces/api/get-dashboard';
import { DashboardHeader } from '../../features/workspaces/components/dashboard-header';
import { isApiError } from '../../lib/api-client';
import { useWorkspaceOutlet } from './workspace';

/** The workspace's dashboard: every panel, each with its own live query. */
export function WorkspaceDashboardRoute() {
  const { workspaceId } = useWorkspaceOutlet();
  const dashboard = useDashboard(workspaceId);

  // Deliverables, thinking and goals carry agent ids; the dashboard already has the agents.
  const agents = dashboard.data?.agents;
  const agentOptions = useMemo<AgentOption[]>(
    () =>
      (agents ?? []).map((agent) => ({
        id: agent.id,
        name: agent.name,
        terminated: agent.status === 'terminated',
      })),
    [agents],
  );
  const agentNames = useMemo(
    () => new Map(agentOptions.map((agent) => [agent.id, agent.name] as const)),
    [agentOptions],
  );

  const missing =
    isApiError(dashboard.error) &&
    !dashboard.data &&
    (dashboard.error.statusCode === 404 || dashboard.error.statusCode === 403);

  return (
    <>
      <DashboardHeader workspaceId={workspaceId} />
      {!missing && (
        <>
          <nav className="section-nav" aria-label="Sections">
            <a href="#agents">Agents</a>
            <a href="#goals">Goals</a>
            <a href="#quota">Quota</a>
            <a href="#deliverables">Deliverables</a>
            <a href="#thinking">Thinking</a>
          </nav>
          <Section id="agents" title="Agents">
            <AgentsTable workspaceId={workspaceId} />
          </Section>
          <div className="columns">
            <Section id="goals" title="Goals">
              <GoalsPanel workspaceId={workspaceId} agents={agentOptions} />
            </Section>
            <Section id="quota" title="AI quota">
              <QuotaPanel workspaceId={workspaceId} />
            </Section>
          </div>
          <div className="columns">
            <Section id="deliverables" title="Deliverables">
              <DeliverablesList
                workspaceId={workspaceId}
                agents={agentOptions}
                agentNames={agentNames}
              />
            </Section>
            <Section id="thinking" title="Thinking">
              <ThinkingList
                workspaceId={workspaceId}
                agents={agentOptions}
                agentNames={agentNames}
              />
            </Section>
          </div>
        </>
      )}
    </>
  );
}
