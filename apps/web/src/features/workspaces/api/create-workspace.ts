import { useMutation, useQueryClient, type InfiniteData } from '@tanstack/react-query';

import type { CreateWorkspaceRequest, Page, Workspace, WorkspaceForUser } from '@orch/contracts';

import { api } from '../../../lib/api-client';
import { patchQueries, upsertInPages } from '../../../lib/cache';
import { workspaceKeys } from './keys';

/** POST /api/workspaces: the creator becomes its owner. */
export function createWorkspace(body: CreateWorkspaceRequest): Promise<Workspace> {
  return api.post<Workspace>('/workspaces', body);
}

/** Creates a workspace and puts it first in the cached lists (no refetch). */
export function useCreateWorkspace() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: createWorkspace,
    onSuccess: (workspace) => {
      const mine: WorkspaceForUser = { ...workspace, role: 'owner' };
      patchQueries<InfiniteData<Page<WorkspaceForUser>>>(
        queryClient,
        workspaceKeys.lists(),
        (data) => upsertInPages(data, mine),
      );
    },
  });
}
