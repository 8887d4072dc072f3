import type { LiveState } from '../../lib/socket';

const LABEL: Record<LiveState['status'], string> = {
  connecting: 'connecting…',
  live: 'live',
  reconnecting: 'reconnecting…',
  offline: 'offline',
  rejected: 'live updates paused',
  refused: 'live updates unavailable',
};

function describe(state: LiveState): string {
  switch (state.status) {
    case 'rejected': {
      const { reason, limit } = state.detail;
      const what =
        reason === 'workspace_limit'
          ? `${limit} tabs already follow this workspace`
          : `the server's ${limit} connections are in use`;
      return `Too many connections: ${what} (${reason}). Retrying in ${Math.ceil(state.retryInMs / 1000)} s; polling every 30 s meanwhile.`;
    }
    case 'refused':
      return state.detail.message;
    case 'offline':
      return 'No network: showing what was loaded; updates resume when the connection is back.';
    case 'reconnecting':
      return 'Connection lost: reconnecting with backoff; polling every 30 s meanwhile.';
    default:
      return 'Real-time updates over WebSocket; the page also polls every 30 s.';
  }
}

/** Whether pushes are arriving; polling every 30 s keeps the page current either way. */
export function LiveIndicator({ state }: { state: LiveState }) {
  const text = describe(state);
  const shown = state.status === 'rejected' || state.status === 'refused';
  return (
    <span
      className={`live live--${state.status}`}
      data-testid="live-indicator"
      data-status={state.status}
      data-reason={state.status === 'rejected' ? state.detail.reason : undefined}
      title={text}
      role="status"
    >
      <span className="live__dot" aria-hidden="true" />
      {LABEL[state.status]}
      {shown && (
        <span className="live__detail" data-testid="live-detail">
          {text}
        </span>
      )}
    </span>
  );
}
