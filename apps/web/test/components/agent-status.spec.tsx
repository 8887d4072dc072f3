import { QueryClient, QueryClientProvider, useQuery } from '@tanstack/react-query';
import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';

import type { Agent } from '@orch/contracts';

import { registerLiveAppliers } from '../../src/app/live/register-appliers';
import { agentKeys } from '../../src/features/agents/api/keys';
import { AgentStatusControl } from '../../src/features/agents/components/agent-status-control';
import { startTestApi, type TestApi } from '../support/api-server';
import { agent, at, pages } from '../support/fixtures';

beforeAll(() => registerLiveAppliers());

/** The control as the table uses it: reading the agent from the cached list. */
function Harness({ id }: { id: string }) {
  const key = agentKeys.list(agent(1).workspaceId, { view: 'full', limit: 20 });
  const { data } = useQuery({
    queryKey: key,
    queryFn: () => pages<Agent>([]),
    staleTime: Infinity,
  });
  const current = data?.pages[0].items.find((a) => a.id === id);
  return current ? <AgentStatusControl agent={current} workspaceId={current.workspaceId} /> : null;
}

function setup(api: TestApi) {
  const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  const initial = agent(1, { status: 'idle' });
  queryClient.setQueryData(
    agentKeys.list(initial.workspaceId, { view: 'full', limit: 20 }),
    pages([initial]),
  );
  render(
    <QueryClientProvider client={queryClient}>
      <Harness id={initial.id} />
    </QueryClientProvider>,
  );
  return { api, initial };
}

describe('AgentStatusControl', () => {
  let api: TestApi | undefined;
  afterEach(async () => api?.close());

  it('shows the new status at once, then the server’s answer', async () => {
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    api = await startTestApi(async () => {
      await gate;
      return { status: 200, body: { ...agent(1), status: 'busy', updatedAt: at(59) } };
    });
    const { initial } = setup(api);
    const user = userEvent.setup();
    await user.selectOptions(screen.getByTestId('agent-status-select'), 'busy');
    // Optimistic: busy shows while the request is still unanswered.
    await waitFor(() => expect(api?.requests).toHaveLength(1));
    expect((screen.getByTestId('agent-status-select') as HTMLSelectElement).value).toBe('busy');
    expect(screen.getByTitle('Status: busy')).toBeTruthy();
    release();
    // The answer (a newer version) replaces the optimistic one in the cache.
    await waitFor(() =>
      expect(screen.getByTestId('agent-status-select').getAttribute('data-updated')).toBe(at(59)),
    );
    expect(api.requests[0]).toEqual({
      method: 'PATCH',
      path: `/agents/${initial.id}`,
      body: { status: 'busy' },
    });
  });

  it('puts the old status back when the API refuses, and says why', async () => {
    api = await startTestApi(() => ({
      status: 409,
      body: {
        statusCode: 409,
        error: 'Conflict',
        message: 'A terminated agent cannot be changed',
        code: 'AGENT_TERMINATED',
      },
    }));
    setup(api);
    const user = userEvent.setup();
    await user.selectOptions(screen.getByTestId('agent-status-select'), 'active');
    expect(await screen.findByText('This agent was terminated meanwhile.')).toBeTruthy();
    expect((screen.getByTestId('agent-status-select') as HTMLSelectElement).value).toBe('idle');
  });

  it('asks before terminating, and shows terminated as final', async () => {
    api = await startTestApi(() => ({
      status: 200,
      body: { ...agent(1), status: 'terminated', updatedAt: at(59) },
    }));
    setup(api);
    const user = userEvent.setup();
    await user.selectOptions(screen.getByTestId('agent-status-select'), 'terminated');
    expect(api.requests).toHaveLength(0);
    const confirm = screen.getByRole('group', { name: 'Terminate Agent 1?' });
    await user.click(within(confirm).getByRole('button', { name: 'Terminate' }));
    expect(await screen.findByTestId('agent-status-final')).toBeTruthy();
    expect(screen.queryByTestId('agent-status-select')).toBeNull();
    expect(api.requests.map((r) => r.body)).toEqual([{ status: 'terminated' }]);
  });
});
