import type { LiveState } from '../lib/socket';

const LABEL: Record<LiveState['status'], string> = {
  connecting: 'connecting…',
  live: 'live',
  reconnecting: 'reconnecting…',
  rejected: 'live updates paused',
  refused: 'live updates unavailable',
};

/** Whether pushes are arriving; polling every 30 s keeps the page current either way. */
export function LiveIndicator({ state }: { state: LiveState }) {
  const title =
    state.status === 'rejected'
      ? `Too many open connections (${state.detail.reason}, limit ${state.detail.limit}); retrying, and polling every 30 s meanwhile`
      : state.status === 'refused'
        ? state.detail.message
        : 'Real-time updates over WebSocket; the page also polls every 30 s';
  return (
    <span
      className={`live live--${state.status}`}
      data-testid="live-indicator"
      data-status={state.status}
      title={title}
    >
      <span className="live__dot" aria-hidden="true" />
      {LABEL[state.status]}
    </span>
  );
}
