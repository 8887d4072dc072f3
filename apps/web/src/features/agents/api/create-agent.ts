import { useMutation, useQueryClient } from '@tanstack/react-query';

import type { Agent, CreateAgentRequest } from '@orch/contracts';

import { api } from '../../../lib/api-client';
import { applyLiveEvent } from '../../../lib/live-events';

/** POST /api/workspaces/:id/agents. */
export function createAgent(workspaceId: string, body: CreateAgentRequest): Promise<Agent> {
  return api.post<Agent>(`/workspaces/${encodeURIComponent(workspaceId)}/agents`, body);
}

/** The new agent goes into every cached view the way its `agent.updated` push would. */
export function useCreateAgent(workspaceId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: CreateAgentRequest) => createAgent(workspaceId, body),
    onSuccess: (agent) => applyLiveEvent({ queryClient, workspaceId }, 'agent.updated', { agent }),
  });
}
