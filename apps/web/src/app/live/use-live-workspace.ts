import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';

import { applyLiveEvent, DOMAIN_EVENTS } from '../../lib/live-events';
import { workspaceScope } from '../../lib/query-keys';
import { refetchOverdue } from '../../lib/refresh';
import { useSession } from '../../lib/session';
import { connectWorkspace, onDomainEvent, type LiveState } from '../../lib/socket';

/**
 * Keeps an open workspace live: each push is applied to the cached views it changes
 * (lib/live-events.ts, wired in register-appliers.ts), and the 30 s polls of the views
 * cover whatever a dropped connection missed.
 */
export function useLiveWorkspace(workspaceId: string): LiveState {
  const queryClient = useQueryClient();
  const session = useSession();
  const token = session?.accessToken;
  const [state, setState] = useState<LiveState>({ status: 'connecting' });

  useEffect(() => {
    if (!token) return undefined;
    const context = { queryClient, workspaceId };
    const socket = connectWorkspace(workspaceId, token, setState);
    for (const event of DOMAIN_EVENTS) {
      onDomainEvent(socket, event, (payload) => void applyLiveEvent(context, event, payload));
    }
    socket.io.on('reconnect', () => void refetchOverdue(queryClient, workspaceScope(workspaceId)));
    return () => {
      socket.close();
    };
  }, [queryClient, token, workspaceId]);

  return state;
}
