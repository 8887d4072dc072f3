import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';

import type { RealtimeDomainEvent } from '@orch/contracts';

import { workspaceScope } from '../lib/query-keys';
import { useSession } from '../lib/session';
import { connectWorkspace, type LiveState } from '../lib/socket';

/** Which cached views each pushed event makes stale (keys under workspaceScope). */
const AFFECTS: Record<RealtimeDomainEvent, readonly string[]> = {
  'workspace.updated': ['dashboard'],
  'agent.updated': ['agents', 'dashboard'],
  'deliverable.created': ['deliverables', 'dashboard'],
  'deliverable.updated': ['deliverables', 'dashboard'],
  'thinking.step': ['thinking'],
  'goal.updated': ['dashboard'],
  'quota.notification': ['dashboard'],
};

/** Bursts of events (a bulk of steps) cost one refetch per view, not one per event. */
const COALESCE_MS = 250;

/**
 * Keeps an open workspace live: pushes over the socket mark the views they
 * change stale (TanStack Query refetches what is on screen), and the 30 s
 * polling of the queries covers anything missed while disconnected.
 */
export function useLiveWorkspace(workspaceId: string): LiveState {
  const queryClient = useQueryClient();
  const session = useSession();
  const token = session?.accessToken;
  const [state, setState] = useState<LiveState>({ status: 'connecting' });

  useEffect(() => {
    if (!token) return undefined;
    const pending = new Set<string>();
    let flush: ReturnType<typeof setTimeout> | undefined;
    const invalidate = (views: readonly string[]) => {
      for (const view of views) pending.add(view);
      flush ??= setTimeout(() => {
        flush = undefined;
        for (const view of pending) {
          void queryClient.invalidateQueries({ queryKey: [...workspaceScope(workspaceId), view] });
        }
        pending.clear();
      }, COALESCE_MS);
    };
    const socket = connectWorkspace(workspaceId, token, setState);
    for (const [event, views] of Object.entries(AFFECTS) as [
      RealtimeDomainEvent,
      readonly string[],
    ][]) {
      (socket.on as (e: string, h: () => void) => void)(event, () => invalidate(views));
    }
    // After a reconnect, whatever was pushed meanwhile is lost: refresh everything once.
    socket.io.on(
      'reconnect',
      () => void queryClient.invalidateQueries({ queryKey: workspaceScope(workspaceId) }),
    );
    return () => {
      clearTimeout(flush);
      socket.close();
    };
  }, [queryClient, token, workspaceId]);

  return state;
}
