import { workspaceScope } from '../../../lib/query-keys';

export interface ThinkingListParams {
  processes: number;
  stepsPerProcess: number;
}

/** Every query key of the thinking feature (hooks, mutations and live appliers). */
export const thinkingKeys = {
  all: (workspaceId: string) => [...workspaceScope(workspaceId), 'thinking'] as const,
  lists: (workspaceId: string) => [...thinkingKeys.all(workspaceId), 'list'] as const,
  list: (workspaceId: string, params: ThinkingListParams) =>
    [...thinkingKeys.lists(workspaceId), params] as const,
  process: (workspaceId: string, processId: string) =>
    [...thinkingKeys.all(workspaceId), 'process', processId] as const,
};
