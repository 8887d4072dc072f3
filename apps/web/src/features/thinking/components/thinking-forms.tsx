import { zodResolver } from '@hookform/resolvers/zod';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { z } from 'zod';

import {
  THINKING_STEP_KINDS,
  type AppendStepRequest,
  type StartThinkingRequest,
} from '@orch/contracts';

import type { AgentOption } from '../../../components/agent-options';
import { Field } from '../../../components/form/field';
import { FormActions } from '../../../components/form/form-actions';
import { applyApiErrors } from '../../../lib/forms';

export const startThinkingSchema = z.object({
  agentId: z.string().min(1, 'Choose an agent'),
  title: z.string().trim().min(1, 'Title is required').max(200, 'Title is at most 200 characters'),
});
type StartValues = z.infer<typeof startThinkingSchema>;

interface StartThinkingFormProps {
  agents: readonly AgentOption[];
  onSubmit: (values: StartThinkingRequest) => Promise<unknown>;
  onDone?: () => void;
}

/** Starts a process for an agent that isn't terminated. */
export function StartThinkingForm({ agents, onSubmit, onDone }: StartThinkingFormProps) {
  const [formError, setFormError] = useState<string | null>(null);
  const available = agents.filter((agent) => !agent.terminated);
  const { register, handleSubmit, setError, formState } = useForm<StartValues>({
    resolver: zodResolver(startThinkingSchema),
    defaultValues: { agentId: available[0]?.id ?? '', title: '' },
  });
  const submit = handleSubmit(async (values) => {
    setFormError(null);
    try {
      await onSubmit(values);
      onDone?.();
    } catch (error) {
      setFormError(applyApiErrors<StartValues>(error, ['agentId', 'title'], setError));
    }
  });
  return (
    <form
      className="form"
      onSubmit={(event) => void submit(event)}
      noValidate
      aria-label="Start a thinking process"
      data-testid="thinking-start-form"
    >
      <div className="form__row">
        <Field label="Agent" error={formState.errors.agentId?.message}>
          {(a11y) => (
            <select {...a11y} {...register('agentId')} data-testid="thinking-agent">
              {available.length === 0 && <option value="">No agent can think</option>}
              {available.map((agent) => (
                <option key={agent.id} value={agent.id}>
                  {agent.name}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label="Title" error={formState.errors.title?.message}>
          {(a11y) => <input {...a11y} {...register('title')} data-testid="thinking-title" />}
        </Field>
      </div>
      <FormActions
        submitLabel="Start thinking"
        isPending={formState.isSubmitting}
        onCancel={onDone}
        error={formError}
        testId="thinking-start-submit"
      />
    </form>
  );
}

export const appendStepSchema = z.object({
  kind: z.enum(THINKING_STEP_KINDS as [AppendStepRequest['kind'], ...AppendStepRequest['kind'][]]),
  content: z
    .string()
    .refine((value) => value.trim().length > 0, 'Say what happened')
    .refine((value) => value.length <= 20_000, 'At most 20,000 characters'),
});
type StepValues = z.infer<typeof appendStepSchema>;

interface AppendStepFormProps {
  onSubmit: (values: AppendStepRequest) => Promise<unknown>;
}

/** One step for a running process; the form stays open for the next. */
export function AppendStepForm({ onSubmit }: AppendStepFormProps) {
  const [formError, setFormError] = useState<string | null>(null);
  const { register, handleSubmit, setError, formState, reset } = useForm<StepValues>({
    resolver: zodResolver(appendStepSchema),
    defaultValues: { kind: 'observation', content: '' },
  });
  const submit = handleSubmit(async (values) => {
    setFormError(null);
    try {
      await onSubmit(values);
      reset({ kind: values.kind, content: '' });
    } catch (error) {
      setFormError(applyApiErrors<StepValues>(error, ['kind', 'content'], setError));
    }
  });
  return (
    <form
      className="form form--inline"
      onSubmit={(event) => void submit(event)}
      noValidate
      aria-label="Append a step"
      data-testid="step-form"
    >
      <Field label="Kind" error={formState.errors.kind?.message}>
        {(a11y) => (
          <select {...a11y} {...register('kind')} data-testid="step-kind">
            {THINKING_STEP_KINDS.map((kind) => (
              <option key={kind} value={kind}>
                {kind}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field label="Step" error={formState.errors.content?.message}>
        {(a11y) => <input {...a11y} {...register('content')} data-testid="step-content" />}
      </Field>
      <FormActions
        submitLabel="Append step"
        pendingLabel="Appending…"
        isPending={formState.isSubmitting}
        error={formError}
        testId="step-submit"
      />
    </form>
  );
}
