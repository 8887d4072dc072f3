import { zodResolver } from '@hookform/resolvers/zod';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { z } from 'zod';

import type { Goal, CreateGoalRequest } from '@orch/contracts';

import type { AgentOption } from '../../../components/agent-options';
import { Field } from '../../../components/form/field';
import { FormActions } from '../../../components/form/form-actions';
import { applyApiErrors } from '../../../lib/forms';

const wholeNumber = (label: string, min: number, max: number) =>
  z
    .string()
    .trim()
    .refine((value) => value === '' || /^\d+$/.test(value), `${label} must be a whole number`)
    .refine((value) => value === '' || (Number(value) >= min && Number(value) <= max), {
      message: `${label} must be between ${min} and ${max.toLocaleString('en-US')}`,
    });

/** The API's rules (modules/goals/dto), checked before sending. */
export const goalFormSchema = z.object({
  title: z.string().trim().min(1, 'Title is required').max(200, 'Title is at most 200 characters'),
  description: z.string().max(2000, 'Description is at most 2000 characters'),
  agentIds: z.array(z.string()).max(100, 'At most 100 agents'),
  targetDeliverables: wholeNumber('Target', 1, 1_000_000),
  windowHours: wholeNumber('Window', 1, 8760).refine((value) => value !== '', 'Window is required'),
});
export type GoalFormValues = z.infer<typeof goalFormSchema>;

export function toGoalRequest(values: GoalFormValues): CreateGoalRequest {
  return {
    title: values.title,
    description: values.description.trim() === '' ? null : values.description,
    agentIds: values.agentIds,
    targetDeliverables: values.targetDeliverables === '' ? null : Number(values.targetDeliverables),
    windowHours: Number(values.windowHours),
  };
}

interface GoalFormProps {
  goal?: Goal;
  agents: readonly AgentOption[];
  onSubmit: (values: GoalFormValues) => Promise<unknown>;
  onDone?: () => void;
}

const FIELDS = ['title', 'description', 'agentIds', 'targetDeliverables', 'windowHours'] as const;

export function GoalForm({ goal, agents, onSubmit, onDone }: GoalFormProps) {
  const [formError, setFormError] = useState<string | null>(null);
  const { register, handleSubmit, setError, formState } = useForm<GoalFormValues>({
    resolver: zodResolver(goalFormSchema),
    defaultValues: {
      title: goal?.title ?? '',
      description: goal?.description ?? '',
      agentIds: goal?.agentIds ?? [],
      targetDeliverables: goal?.targetDeliverables ? String(goal.targetDeliverables) : '',
      windowHours: String(goal?.windowHours ?? 24),
    },
  });
  const errors = formState.errors;
  const submit = handleSubmit(async (values) => {
    setFormError(null);
    try {
      await onSubmit(values);
      onDone?.();
    } catch (error) {
      setFormError(applyApiErrors<GoalFormValues>(error, FIELDS, setError));
    }
  });

  return (
    <form
      className="form"
      onSubmit={(event) => void submit(event)}
      noValidate
      aria-label={goal ? `Edit ${goal.title}` : 'New goal'}
      data-testid="goal-form"
    >
      <Field label="Title" error={errors.title?.message}>
        {(a11y) => <input {...a11y} {...register('title')} data-testid="goal-title" />}
      </Field>
      <Field label="Description" error={errors.description?.message}>
        {(a11y) => <textarea {...a11y} rows={2} {...register('description')} />}
      </Field>
      <div className="form__row">
        <Field
          label="Target deliverables"
          error={errors.targetDeliverables?.message}
          hint="Empty: no target"
        >
          {(a11y) => (
            <input
              {...a11y}
              inputMode="numeric"
              {...register('targetDeliverables')}
              data-testid="goal-target"
            />
          )}
        </Field>
        <Field label="Window (hours)" error={errors.windowHours?.message}>
          {(a11y) => (
            <input
              {...a11y}
              inputMode="numeric"
              {...register('windowHours')}
              data-testid="goal-window"
            />
          )}
        </Field>
      </div>
      <fieldset className="form__group">
        <legend>Agents working on it</legend>
        {errors.agentIds?.message && (
          <span className="field__error" role="alert">
            {errors.agentIds.message}
          </span>
        )}
        {agents.length === 0 && <span className="muted small">No agents yet.</span>}
        <div className="checks">
          {agents.map((agent) => (
            <label key={agent.id} className="check">
              <input type="checkbox" value={agent.id} {...register('agentIds')} />
              {agent.name}
              {agent.terminated ? ' (terminated)' : ''}
            </label>
          ))}
        </div>
      </fieldset>
      <FormActions
        submitLabel={goal ? 'Save goal' : 'Create goal'}
        isPending={formState.isSubmitting}
        onCancel={onDone}
        error={formError}
        testId="goal-submit"
      />
    </form>
  );
}
