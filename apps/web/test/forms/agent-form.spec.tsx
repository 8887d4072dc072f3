import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';

import { AgentForm } from '../../src/features/agents/components/agent-form';
import {
  toUpdateAgentRequest,
  type AgentFormValues,
} from '../../src/features/agents/components/agent-schema';
import { ApiError } from '../../src/lib/api-client';
import { agent } from '../support/fixtures';

describe('AgentForm', () => {
  it('checks the API’s rules before sending anything', async () => {
    const onSubmit = vi.fn(() => Promise.resolve());
    render(<AgentForm onSubmit={onSubmit} />);
    const user = userEvent.setup();

    await user.type(screen.getByLabelText('Name'), '   ');
    await user.click(screen.getByRole('button', { name: 'Add setting' }));
    await user.type(screen.getByLabelText('Key 1'), 'not a key!');
    await user.click(screen.getByRole('button', { name: 'Create agent' }));

    expect(onSubmit).not.toHaveBeenCalled();
    expect(screen.getByLabelText('Name').getAttribute('aria-invalid')).toBe('true');
    expect(screen.getByText('Name is required')).toBeTruthy();
    expect(screen.getByText('Role is required')).toBeTruthy();
    expect(screen.getByText('Letters, digits, _ . - only, up to 64 characters')).toBeTruthy();
    // The message is tied to its field for screen readers.
    const described = screen.getByLabelText('Name').getAttribute('aria-describedby') ?? '';
    expect(document.getElementById(described)?.textContent).toBe('Name is required');
  });

  it('refuses a setting key given twice', async () => {
    const onSubmit = vi.fn(() => Promise.resolve());
    render(<AgentForm onSubmit={onSubmit} />);
    const user = userEvent.setup();
    await user.type(screen.getByLabelText('Name'), 'Quill');
    await user.type(screen.getByLabelText('Role'), 'writer');
    for (const n of [1, 2]) {
      await user.click(screen.getByRole('button', { name: 'Add setting' }));
      await user.type(screen.getByLabelText(`Key ${n}`), 'tone');
    }
    await user.click(screen.getByRole('button', { name: 'Create agent' }));
    expect(onSubmit).not.toHaveBeenCalled();
    expect(screen.getByText('"tone" is set twice')).toBeTruthy();
  });

  it('sends valid values once, trimmed, and shows the API’s field errors on their fields', async () => {
    const onSubmit = vi.fn<(values: AgentFormValues) => Promise<unknown>>(() =>
      Promise.reject(
        new ApiError({
          statusCode: 400,
          error: 'Bad Request',
          message: 'Invalid request: settings.temperature',
          code: 'VALIDATION_FAILED',
          details: [
            { field: 'settings.temperature', messages: ['settings must map at most 50 keys'] },
            { field: 'unknownField', messages: ['property unknownField should not exist'] },
          ],
        }),
      ),
    );
    const onDone = vi.fn();
    render(<AgentForm onSubmit={onSubmit} onDone={onDone} />);
    const user = userEvent.setup();
    await user.type(screen.getByLabelText('Name'), '  Quill ');
    await user.type(screen.getByLabelText('Role'), 'writer');
    await user.click(screen.getByRole('button', { name: 'Add setting' }));
    await user.type(screen.getByLabelText('Key 1'), 'temperature');
    await user.type(screen.getByLabelText('Value 1'), '0.2');
    await user.click(screen.getByRole('button', { name: 'Create agent' }));

    expect(onSubmit).toHaveBeenCalledTimes(1);
    expect(onSubmit.mock.calls[0][0]).toEqual({
      name: 'Quill',
      role: 'writer',
      model: '',
      settings: [{ key: 'temperature', value: '0.2' }],
    });
    expect(await screen.findByText('settings must map at most 50 keys')).toBeTruthy();
    // What belongs to no field of the form is said once, for the whole form.
    expect(screen.getByTestId('form-error').textContent).toBe(
      'unknownField: property unknownField should not exist',
    );
    expect(onDone).not.toHaveBeenCalled();
  });
});

describe('toUpdateAgentRequest', () => {
  it('sends only what changed, and a removed setting as null', () => {
    const current = agent(1, { settings: { tone: 'dry', depth: '3' } });
    expect(
      toUpdateAgentRequest(current, {
        name: 'Agent 1',
        role: 'reviewer',
        model: current.model,
        settings: [
          { key: 'tone', value: 'warm' },
          { key: 'length', value: 'short' },
        ],
      }),
    ).toEqual({ role: 'reviewer', settings: { depth: null, tone: 'warm', length: 'short' } });
  });
});
