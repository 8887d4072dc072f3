import { workspaceScope } from '../../../lib/query-keys';

/** Every query key of the quota feature (hooks and live appliers). */
export const quotaKeys = {
  all: (workspaceId: string) => [...workspaceScope(workspaceId), 'quota'] as const,
  status: (workspaceId: string) => [...quotaKeys.all(workspaceId), 'status'] as const,
  usage: (workspaceId: string) => [...quotaKeys.all(workspaceId), 'usage'] as const,
  notifications: (workspaceId: string) => [...quotaKeys.all(workspaceId), 'notifications'] as const,
};
