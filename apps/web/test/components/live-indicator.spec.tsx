import { render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';

import { LiveIndicator } from '../../src/app/live/live-indicator';
import { rejectedRetryDelay } from '../../src/lib/socket';

describe('LiveIndicator', () => {
  it('shows a rejection with its reason and when it retries', () => {
    render(
      <LiveIndicator
        state={{
          status: 'rejected',
          detail: { reason: 'workspace_limit', limit: 3, retryAfterMs: 25_000 },
          retryInMs: 31_200,
        }}
      />,
    );
    const indicator = screen.getByTestId('live-indicator');
    expect(indicator.dataset['status']).toBe('rejected');
    expect(indicator.dataset['reason']).toBe('workspace_limit');
    expect(screen.getByTestId('live-detail').textContent).toBe(
      'Too many connections: 3 tabs already follow this workspace (workspace_limit). Retrying in 32 s; polling every 30 s meanwhile.',
    );
  });

  it.each(['live', 'reconnecting', 'offline'] as const)('says %s', (status) => {
    render(<LiveIndicator state={{ status }} />);
    expect(screen.getByRole('status').textContent).toBe(
      status === 'reconnecting' ? 'reconnecting…' : status,
    );
  });
});

describe('rejectedRetryDelay', () => {
  it('waits the server’s hint plus up to as much again, so rejected tabs spread out', () => {
    expect(rejectedRetryDelay(25_000, 0)).toBe(25_000);
    expect(rejectedRetryDelay(25_000, 0.5)).toBe(37_500);
    expect(rejectedRetryDelay(25_000, 0.999)).toBe(49_975);
  });
});
