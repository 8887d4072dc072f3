import { useMutation } from '@tanstack/react-query';

import type { AddMemberRequest, WorkspaceMember } from '@orch/contracts';

import { api } from '../../../lib/api-client';

/** POST /api/workspaces/:id/members (owners): adds an existing account by its email. */
export function addMember(workspaceId: string, body: AddMemberRequest): Promise<WorkspaceMember> {
  return api.post<WorkspaceMember>(`/workspaces/${encodeURIComponent(workspaceId)}/members`, body);
}

/** No cached view lists members (the API has no member list yet), so nothing to update. */
export function useAddMember(workspaceId: string) {
  return useMutation({ mutationFn: (body: AddMemberRequest) => addMember(workspaceId, body) });
}
