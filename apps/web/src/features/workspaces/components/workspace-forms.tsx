import { zodResolver } from '@hookform/resolvers/zod';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { z } from 'zod';

import type { CreateWorkspaceRequest, Workspace } from '@orch/contracts';

import { Field } from '../../../components/form/field';
import { FormActions } from '../../../components/form/form-actions';
import { applyApiErrors } from '../../../lib/forms';

/** The API's rules (modules/workspaces/dto), checked before sending. */
export const workspaceFormSchema = z.object({
  name: z.string().trim().min(1, 'Name is required').max(120, 'Name is at most 120 characters'),
  description: z.string().max(2000, 'Description is at most 2000 characters'),
});
export type WorkspaceFormValues = z.infer<typeof workspaceFormSchema>;

export function toWorkspaceRequest(values: WorkspaceFormValues): CreateWorkspaceRequest {
  const description = values.description.trim();
  return { name: values.name, description: description === '' ? null : description };
}

interface WorkspaceFormProps {
  workspace?: Workspace;
  onSubmit: (values: WorkspaceFormValues) => Promise<unknown>;
  onDone?: () => void;
}

export function WorkspaceForm({ workspace, onSubmit, onDone }: WorkspaceFormProps) {
  const [formError, setFormError] = useState<string | null>(null);
  const { register, handleSubmit, setError, formState } = useForm<WorkspaceFormValues>({
    resolver: zodResolver(workspaceFormSchema),
    defaultValues: { name: workspace?.name ?? '', description: workspace?.description ?? '' },
  });
  const submit = handleSubmit(async (values) => {
    setFormError(null);
    try {
      await onSubmit(values);
      onDone?.();
    } catch (error) {
      setFormError(applyApiErrors<WorkspaceFormValues>(error, ['name', 'description'], setError));
    }
  });
  return (
    <form
      className="form"
      onSubmit={(event) => void submit(event)}
      noValidate
      aria-label={workspace ? 'Edit workspace' : 'New workspace'}
      data-testid="workspace-form"
    >
      <Field label="Name" error={formState.errors.name?.message}>
        {(a11y) => <input {...a11y} {...register('name')} data-testid="workspace-name" />}
      </Field>
      <Field label="Description" error={formState.errors.description?.message}>
        {(a11y) => <textarea {...a11y} rows={2} {...register('description')} />}
      </Field>
      <FormActions
        submitLabel={workspace ? 'Save workspace' : 'Create workspace'}
        isPending={formState.isSubmitting}
        onCancel={onDone}
        error={formError}
        testId="workspace-submit"
      />
    </form>
  );
}

export const memberFormSchema = z.object({
  email: z.string().trim().min(1, 'Email is required').email('Not an email address'),
});
type MemberValues = z.infer<typeof memberFormSchema>;

/** Owners add an existing account by email; the API answers 404 USER_NOT_FOUND otherwise. */
export function AddMemberForm({
  onSubmit,
}: {
  onSubmit: (values: MemberValues) => Promise<unknown>;
}) {
  const [formError, setFormError] = useState<string | null>(null);
  const [added, setAdded] = useState<string | null>(null);
  const { register, handleSubmit, setError, formState, reset } = useForm<MemberValues>({
    resolver: zodResolver(memberFormSchema),
    defaultValues: { email: '' },
  });
  const submit = handleSubmit(async (values) => {
    setFormError(null);
    setAdded(null);
    try {
      await onSubmit(values);
      setAdded(values.email);
      reset({ email: '' });
    } catch (error) {
      const message = applyApiErrors<MemberValues>(error, ['email'], setError);
      // "No user has that email" and "already a member" are about the email field.
      if (message) setError('email', { type: 'server', message });
    }
  });
  return (
    <form
      className="form form--inline"
      onSubmit={(event) => void submit(event)}
      noValidate
      aria-label="Add a member"
      data-testid="member-form"
    >
      <Field label="Member's email" error={formState.errors.email?.message}>
        {(a11y) => (
          <input
            {...a11y}
            type="email"
            autoComplete="off"
            {...register('email')}
            data-testid="member-email"
          />
        )}
      </Field>
      <FormActions
        submitLabel="Add member"
        pendingLabel="Adding…"
        isPending={formState.isSubmitting}
        error={formError}
        testId="member-submit"
      />
      {added && (
        <span className="notice" role="status" data-testid="member-added">
          {added} is now a member.
        </span>
      )}
    </form>
  );
}
