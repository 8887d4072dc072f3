import { zodResolver } from '@hookform/resolvers/zod';
import { useState } from 'react';
import { useFieldArray, useForm } from 'react-hook-form';

import { Field } from '../../../components/form/field';
import { FormActions } from '../../../components/form/form-actions';
import { applyApiErrors } from '../../../lib/forms';
import {
  agentFormDefaults,
  agentFormSchema,
  SETTINGS_MAX,
  type AgentFormInput,
  type AgentFormValues,
} from './agent-schema';
import type { Agent } from '@orch/contracts';

interface AgentFormProps {
  /** Editing this agent; creating when absent. */
  agent?: Agent;
  /** Sends the values; rejects with the API's error, which the form shows. */
  onSubmit: (values: AgentFormValues) => Promise<unknown>;
  onDone?: () => void;
}

const FIELDS = ['name', 'role', 'model', 'settings'] as const;

export function AgentForm({ agent, onSubmit, onDone }: AgentFormProps) {
  const [formError, setFormError] = useState<string | null>(null);
  const form = useForm<AgentFormInput, unknown, AgentFormValues>({
    resolver: zodResolver(agentFormSchema),
    defaultValues: agentFormDefaults(agent),
  });
  const { register, control, handleSubmit, setError, formState } = form;
  const settings = useFieldArray({ control, name: 'settings' });
  const errors = formState.errors;

  const submit = handleSubmit(async (values) => {
    setFormError(null);
    try {
      await onSubmit(values);
      onDone?.();
    } catch (error) {
      setFormError(applyApiErrors<AgentFormInput>(error, FIELDS, setError));
    }
  });

  return (
    <form
      className="form"
      onSubmit={(event) => void submit(event)}
      noValidate
      aria-label={agent ? `Edit ${agent.name}` : 'New agent'}
      data-testid="agent-form"
    >
      <div className="form__row">
        <Field label="Name" error={errors.name?.message}>
          {(a11y) => <input {...a11y} {...register('name')} data-testid="agent-name" />}
        </Field>
        <Field label="Role" error={errors.role?.message}>
          {(a11y) => <input {...a11y} {...register('role')} data-testid="agent-role" />}
        </Field>
        <Field
          label="Model"
          error={errors.model?.message}
          hint={agent ? undefined : 'Empty: the default model'}
        >
          {(a11y) => <input {...a11y} {...register('model')} data-testid="agent-model" />}
        </Field>
      </div>
      <fieldset className="form__group">
        <legend>Settings</legend>
        {errors.settings?.message && (
          <span className="field__error" role="alert">
            {errors.settings.message}
          </span>
        )}
        {settings.fields.map((setting, index) => (
          <div key={setting.id} className="form__row form__row--setting">
            <Field label={`Key ${index + 1}`} error={errors.settings?.[index]?.key?.message}>
              {(a11y) => <input {...a11y} {...register(`settings.${index}.key`)} />}
            </Field>
            <Field label={`Value ${index + 1}`} error={errors.settings?.[index]?.value?.message}>
              {(a11y) => <input {...a11y} {...register(`settings.${index}.value`)} />}
            </Field>
            <button
              type="button"
              className="btn btn--small btn--ghost"
              onClick={() => settings.remove(index)}
              aria-label={`Remove setting ${index + 1}`}
            >
              Remove
            </button>
          </div>
        ))}
        <button
          type="button"
          className="btn btn--small"
          disabled={settings.fields.length >= SETTINGS_MAX}
          onClick={() => settings.append({ key: '', value: '' })}
        >
          Add setting
        </button>
      </fieldset>
      <FormActions
        submitLabel={agent ? 'Save agent' : 'Create agent'}
        isPending={formState.isSubmitting}
        onCancel={onDone}
        error={formError}
        testId="agent-submit"
      />
    </form>
  );
}
