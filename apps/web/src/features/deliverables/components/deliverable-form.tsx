import { zodResolver } from '@hookform/resolvers/zod';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { z } from 'zod';

import type { CreateDeliverableRequest, Deliverable } from '@orch/contracts';

import type { AgentOption } from '../../../components/agent-options';
import { Field } from '../../../components/form/field';
import { FormActions } from '../../../components/form/form-actions';
import { applyApiErrors } from '../../../lib/forms';

/** The API's rules (modules/deliverables/dto), checked before sending. */
export const CONTENT_MAX = 200_000;
export const deliverableFormSchema = z.object({
  title: z.string().trim().min(1, 'Title is required').max(200, 'Title is at most 200 characters'),
  content: z
    .string()
    .refine((value) => value.trim().length > 0, 'Content is required')
    .refine((value) => value.length <= CONTENT_MAX, `Content is at most ${CONTENT_MAX} characters`),
  agentId: z.string(),
});
export type DeliverableFormValues = z.infer<typeof deliverableFormSchema>;

export function toDeliverableRequest(values: DeliverableFormValues): CreateDeliverableRequest {
  return { title: values.title, content: values.content, agentId: values.agentId || null };
}

interface DeliverableFormProps {
  deliverable?: Deliverable;
  agents: readonly AgentOption[];
  onSubmit: (values: DeliverableFormValues) => Promise<unknown>;
  onDone?: () => void;
}

const FIELDS = ['title', 'content', 'agentId'] as const;

export function DeliverableForm({ deliverable, agents, onSubmit, onDone }: DeliverableFormProps) {
  const [formError, setFormError] = useState<string | null>(null);
  const { register, handleSubmit, setError, formState } = useForm<DeliverableFormValues>({
    resolver: zodResolver(deliverableFormSchema),
    defaultValues: {
      title: deliverable?.title ?? '',
      content: deliverable?.content ?? '',
      agentId: deliverable?.agentId ?? '',
    },
  });
  const errors = formState.errors;

  const submit = handleSubmit(async (values) => {
    setFormError(null);
    try {
      await onSubmit(values);
      onDone?.();
    } catch (error) {
      setFormError(applyApiErrors<DeliverableFormValues>(error, FIELDS, setError));
    }
  });

  return (
    <form
      className="form"
      onSubmit={(event) => void submit(event)}
      noValidate
      aria-label={deliverable ? `Edit ${deliverable.title}` : 'New deliverable'}
      data-testid="deliverable-form"
    >
      <div className="form__row">
        <Field label="Title" error={errors.title?.message}>
          {(a11y) => <input {...a11y} {...register('title')} data-testid="deliverable-title" />}
        </Field>
        <Field label="Agent" error={errors.agentId?.message}>
          {(a11y) => (
            <select {...a11y} {...register('agentId')} data-testid="deliverable-agent">
              <option value="">No agent</option>
              {agents.map((agent) => (
                <option key={agent.id} value={agent.id}>
                  {agent.name}
                  {agent.terminated ? ' (terminated)' : ''}
                </option>
              ))}
            </select>
          )}
        </Field>
      </div>
      <Field label="Content (markdown)" error={errors.content?.message}>
        {(a11y) => (
          <textarea {...a11y} rows={8} {...register('content')} data-testid="deliverable-content" />
        )}
      </Field>
      <FormActions
        submitLabel={deliverable ? 'Save deliverable' : 'Create deliverable'}
        isPending={formState.isSubmitting}
        onCancel={onDone}
        error={formError}
        testId="deliverable-submit"
      />
    </form>
  );
}
