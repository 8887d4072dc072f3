import type { InfiniteData } from '@tanstack/react-query';

import type {
  Page,
  RealtimeEventPayload,
  ThinkingProcess,
  ThinkingProcessWithSteps,
  ThinkingStep,
} from '@orch/contracts';

import { findInPages, patchQueries, prependToPages, replaceInPages } from '../../../lib/cache';
import type { LiveContext } from '../../../lib/live-events';
import { requestRefresh } from '../../../lib/refresh';
import { thinkingProcessQueryOptions } from './get-thinking-process';
import { thinkingKeys, type ThinkingListParams } from './keys';

type ThinkingPages = InfiniteData<Page<ThinkingProcessWithSteps>>;

/**
 * Appends a step to its process (the list shows each process's latest `stepsPerProcess`
 * steps, oldest first, so the oldest drops off). A step already there (a poll brought it,
 * or our own append's answer did) is not added twice. Unchanged data when the process
 * isn't in the list.
 */
export function withStep(data: ThinkingPages, step: ThinkingStep, stepsPerProcess: number) {
  return replaceInPages<ThinkingProcessWithSteps, Page<ThinkingProcessWithSteps>>(
    data,
    step.processId,
    (process) => {
      if (process.steps.some((s) => s.id === step.id)) return process;
      const steps = [...process.steps, step]
        .sort((a, b) => (a.createdAt === b.createdAt ? 0 : a.createdAt < b.createdAt ? -1 : 1))
        .slice(-stepsPerProcess);
      return { ...process, steps };
    },
  );
}

/**
 * A process newer than every listed one goes first (the list is newest first); an older
 * one is on a page not loaded, so it is left out.
 */
export function withNewProcess(data: ThinkingPages, process: ThinkingProcess): ThinkingPages {
  if (findInPages<ThinkingProcessWithSteps, Page<ThinkingProcessWithSteps>>(data, process.id)) {
    return data;
  }
  const newest = data.pages[0]?.items[0];
  if (newest && process.createdAt < newest.createdAt) return data;
  return prependToPages<ThinkingProcessWithSteps, Page<ThinkingProcessWithSteps>>(data, {
    ...process,
    steps: [],
  });
}

function paramsOf(key: readonly unknown[]): ThinkingListParams | undefined {
  const params = key[key.length - 1];
  if (typeof params !== 'object' || params === null) return undefined;
  const { processes, stepsPerProcess } = params as Partial<ThinkingListParams>;
  return typeof processes === 'number' && typeof stepsPerProcess === 'number'
    ? { processes, stepsPerProcess }
    : undefined;
}

function listed(context: LiveContext, processId: string): boolean {
  return context.queryClient
    .getQueriesData<ThinkingPages>({ queryKey: thinkingKeys.lists(context.workspaceId) })
    .some(([, data]) => data !== undefined && findInPages(data, processId) !== undefined);
}

function hasLists(context: LiveContext): boolean {
  return context.queryClient
    .getQueriesData<ThinkingPages>({ queryKey: thinkingKeys.lists(context.workspaceId) })
    .some(([, data]) => data !== undefined);
}

function appendToLists({ queryClient, workspaceId }: LiveContext, step: ThinkingStep) {
  for (const [key, data] of queryClient.getQueriesData<ThinkingPages>({
    queryKey: thinkingKeys.lists(workspaceId),
  })) {
    const params = paramsOf(key);
    if (!data || !params) continue;
    const next = withStep(data, step, params.stepsPerProcess);
    if (next !== data) {
      queryClient.setQueryData<ThinkingPages>(key, next, {
        updatedAt: queryClient.getQueryState(key)?.dataUpdatedAt,
      });
    }
  }
}

/**
 * `thinking.step`. The step carries everything to append it; a step of a process the list
 * doesn't have means a new process (the server pushes no event for starting one), which is
 * fetched alone (one small request, shared by the burst of steps that follows) and put
 * first, instead of refetching the 43 KB list. Only if that lookup fails is the list
 * refreshed, coalesced.
 */
export async function applyThinkingStep(
  context: LiveContext,
  { workspaceId, processId, step }: RealtimeEventPayload<'thinking.step'>,
): Promise<void> {
  if (workspaceId !== context.workspaceId || !hasLists(context)) return;
  if (!listed(context, processId)) {
    try {
      const process = await context.queryClient.fetchQuery(
        thinkingProcessQueryOptions(workspaceId, processId),
      );
      patchQueries<ThinkingPages>(context.queryClient, thinkingKeys.lists(workspaceId), (data) =>
        withNewProcess(data, process),
      );
    } catch {
      requestRefresh(context.queryClient, thinkingKeys.lists(workspaceId));
      return;
    }
  }
  appendToLists(context, step);
}

/** A process we started: first in the list, without steps yet. */
export function applyProcessStarted(
  { queryClient, workspaceId }: LiveContext,
  process: ThinkingProcess,
) {
  queryClient.setQueryData(thinkingKeys.process(workspaceId, process.id), process);
  patchQueries<ThinkingPages>(queryClient, thinkingKeys.lists(workspaceId), (data) =>
    withNewProcess(data, process),
  );
}
