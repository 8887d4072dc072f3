import { useMutation, useQueryClient, type InfiniteData } from '@tanstack/react-query';

import type { Agent, Page, UpdateAgentRequest } from '@orch/contracts';

import { api } from '../../../lib/api-client';
import { patchQueries, replaceInPages } from '../../../lib/cache';
import { applyLiveEvent } from '../../../lib/live-events';
import { agentKeys } from './keys';

/** PATCH /api/agents/:id. A terminated agent answers 409 AGENT_TERMINATED to any change. */
export function updateAgent(agentId: string, body: UpdateAgentRequest): Promise<Agent> {
  return api.patch<Agent>(`/agents/${encodeURIComponent(agentId)}`, body);
}

interface UpdateAgentVariables {
  agent: Agent;
  changes: UpdateAgentRequest;
}

/** Still the optimistic version (the cache stores copies, so compare what was changed). */
function isOptimistic(current: Agent, optimistic: Agent): boolean {
  return current.status === optimistic.status && current.updatedAt === optimistic.updatedAt;
}

type AgentPages = InfiniteData<Page<Agent>>;

/**
 * Edits an agent. A status change is shown at once (optimistic: a status is one field the
 * server either takes or refuses); the answer then replaces it everywhere through the
 * same path as the `agent.updated` push, and a refusal puts the previous agent back,
 * unless a newer version arrived meanwhile.
 */
export function useUpdateAgent(workspaceId: string) {
  const queryClient = useQueryClient();
  const listKey = agentKeys.lists(workspaceId);
  return useMutation({
    mutationFn: ({ agent, changes }: UpdateAgentVariables) => updateAgent(agent.id, changes),
    onMutate: async ({ agent, changes }) => {
      if (!changes.status || changes.status === agent.status) return undefined;
      await queryClient.cancelQueries({ queryKey: listKey });
      const optimistic: Agent = { ...agent, status: changes.status };
      patchQueries<AgentPages>(queryClient, listKey, (data) =>
        replaceInPages<Agent, Page<Agent>>(data, agent.id, () => optimistic),
      );
      return { previous: agent, optimistic };
    },
    onError: (_error, _variables, context) => {
      if (!context) return;
      patchQueries<AgentPages>(queryClient, listKey, (data) =>
        replaceInPages<Agent, Page<Agent>>(data, context.previous.id, (current) =>
          isOptimistic(current, context.optimistic) ? context.previous : current,
        ),
      );
    },
    onSuccess: (agent) => applyLiveEvent({ queryClient, workspaceId }, 'agent.updated', { agent }),
  });
}
