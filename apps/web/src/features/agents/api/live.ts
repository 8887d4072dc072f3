import type { InfiniteData } from '@tanstack/react-query';

import type { Agent, Page } from '@orch/contracts';

import { patchQueries, upsertInPages } from '../../../lib/cache';
import type { LiveContext } from '../../../lib/live-events';
import { agentKeys } from './keys';

type AgentPages = InfiniteData<Page<Agent>>;

/** `agent.updated` (a change or a new agent): replaced in place, or put first if new. */
export function withAgent(data: AgentPages, agent: Agent): AgentPages {
  return upsertInPages<Agent, Page<Agent>>(data, agent);
}

export function applyAgentUpdated({ queryClient, workspaceId }: LiveContext, agent: Agent) {
  if (agent.workspaceId !== workspaceId) return;
  patchQueries<AgentPages>(queryClient, agentKeys.lists(workspaceId), (data) =>
    withAgent(data, agent),
  );
}
