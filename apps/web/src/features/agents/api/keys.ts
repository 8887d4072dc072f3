import type { AgentView } from '@orch/contracts';

import { workspaceScope } from '../../../lib/query-keys';

/** Every query key of the agents feature (hooks, mutations and live appliers use these). */
export const agentKeys = {
  all: (workspaceId: string) => [...workspaceScope(workspaceId), 'agents'] as const,
  lists: (workspaceId: string) => [...agentKeys.all(workspaceId), 'list'] as const,
  list: (workspaceId: string, params: { view: AgentView; limit: number }) =>
    [...agentKeys.lists(workspaceId), params] as const,
};
