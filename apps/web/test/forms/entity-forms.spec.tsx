import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';

import { DeliverableForm } from '../../src/features/deliverables/components/deliverable-form';
import {
  GoalForm,
  toGoalRequest,
  type GoalFormValues,
} from '../../src/features/goals/components/goal-form';
import {
  AppendStepForm,
  StartThinkingForm,
} from '../../src/features/thinking/components/thinking-forms';
import { AddMemberForm } from '../../src/features/workspaces/components/workspace-forms';
import { ApiError } from '../../src/lib/api-client';

const agents = [
  { id: 'a-1', name: 'Atlas', terminated: false },
  { id: 'a-2', name: 'Wren', terminated: true },
];

describe('GoalForm', () => {
  it('refuses numbers outside the API’s ranges, then sends a typed request', async () => {
    const onSubmit = vi.fn<(values: GoalFormValues) => Promise<unknown>>(() => Promise.resolve());
    render(<GoalForm agents={agents} onSubmit={onSubmit} />);
    const user = userEvent.setup();
    await user.type(screen.getByLabelText('Title'), 'Five briefs a day');
    await user.type(screen.getByLabelText('Target deliverables'), '2.5');
    await user.clear(screen.getByLabelText('Window (hours)'));
    await user.type(screen.getByLabelText('Window (hours)'), '9000');
    await user.click(screen.getByRole('button', { name: 'Create goal' }));
    expect(onSubmit).not.toHaveBeenCalled();
    expect(screen.getByText('Target must be a whole number')).toBeTruthy();
    expect(screen.getByText('Window must be between 1 and 8,760')).toBeTruthy();

    await user.clear(screen.getByLabelText('Target deliverables'));
    await user.type(screen.getByLabelText('Target deliverables'), '5');
    await user.clear(screen.getByLabelText('Window (hours)'));
    await user.type(screen.getByLabelText('Window (hours)'), '24');
    await user.click(screen.getByLabelText('Atlas'));
    await user.click(screen.getByRole('button', { name: 'Create goal' }));
    expect(onSubmit).toHaveBeenCalledTimes(1);
    expect(toGoalRequest(onSubmit.mock.calls[0][0])).toEqual({
      title: 'Five briefs a day',
      description: null,
      agentIds: ['a-1'],
      targetDeliverables: 5,
      windowHours: 24,
    });
  });
});

describe('DeliverableForm', () => {
  it('requires a title and markdown content', async () => {
    const onSubmit = vi.fn(() => Promise.resolve());
    render(<DeliverableForm agents={agents} onSubmit={onSubmit} />);
    await userEvent.setup().click(screen.getByRole('button', { name: 'Create deliverable' }));
    expect(onSubmit).not.toHaveBeenCalled();
    expect(screen.getByText('Title is required')).toBeTruthy();
    expect(screen.getByText('Content is required')).toBeTruthy();
  });
});

describe('thinking forms', () => {
  it('offers only agents that may think', () => {
    render(<StartThinkingForm agents={agents} onSubmit={() => Promise.resolve()} />);
    const options = screen.getAllByRole('option').map((option) => option.textContent);
    expect(options).toEqual(['Atlas']);
  });

  it('shows a closed process’s refusal, and keeps the step kind for the next step', async () => {
    const onSubmit = vi
      .fn<() => Promise<unknown>>()
      .mockResolvedValueOnce({})
      .mockRejectedValueOnce(
        new ApiError({
          statusCode: 409,
          error: 'Conflict',
          message: 'Steps can only be added to a running process',
          code: 'THINKING_PROCESS_CLOSED',
        }),
      );
    render(<AppendStepForm onSubmit={onSubmit} />);
    const user = userEvent.setup();
    await user.selectOptions(screen.getByLabelText('Kind'), 'decision');
    await user.type(screen.getByLabelText('Step'), 'Ship it');
    await user.click(screen.getByRole('button', { name: 'Append step' }));
    expect((screen.getByLabelText('Step') as HTMLInputElement).value).toBe('');
    expect((screen.getByLabelText('Kind') as HTMLSelectElement).value).toBe('decision');
    await user.type(screen.getByLabelText('Step'), 'Again');
    await user.click(screen.getByRole('button', { name: 'Append step' }));
    expect((await screen.findByTestId('form-error')).textContent).toBe(
      'Steps can only be added to a running process',
    );
  });
});

describe('AddMemberForm', () => {
  it('puts the API’s "no such user" on the email field', async () => {
    const onSubmit = vi.fn(() =>
      Promise.reject(
        new ApiError({
          statusCode: 404,
          error: 'Not Found',
          message: 'No user has that email',
          code: 'USER_NOT_FOUND',
        }),
      ),
    );
    render(<AddMemberForm onSubmit={onSubmit} />);
    const user = userEvent.setup();
    await user.type(screen.getByLabelText("Member's email"), 'not-an-email');
    await user.click(screen.getByRole('button', { name: 'Add member' }));
    expect(onSubmit).not.toHaveBeenCalled();
    expect(screen.getByText('Not an email address')).toBeTruthy();

    await user.clear(screen.getByLabelText("Member's email"));
    await user.type(screen.getByLabelText("Member's email"), 'nobody@example.com');
    await user.click(screen.getByRole('button', { name: 'Add member' }));
    expect(await screen.findByText('No user has that email')).toBeTruthy();
    expect(screen.getByLabelText("Member's email").getAttribute('aria-invalid')).toBe('true');
  });
});
