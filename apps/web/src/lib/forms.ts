import type { FieldValues, Path, UseFormSetError } from 'react-hook-form';

import { isApiError } from './api-client';

/**
 * Puts the API's field errors (`details` of the error format) on the form's fields, so a
 * rule only the server knows (an email that has no account, an agent of another workspace)
 * shows next to the field it is about. Returns what could not be placed on a field, for the
 * form's own error line: the message of a non-validation error, or details for fields the
 * form doesn't have.
 */
export function applyApiErrors<T extends FieldValues>(
  error: unknown,
  fields: readonly Path<T>[],
  setError: UseFormSetError<T>,
): string | null {
  if (!isApiError(error)) return error instanceof Error ? error.message : 'Something went wrong.';
  const unplaced: string[] = [];
  for (const detail of error.details) {
    const field = fields.find(
      (name) => name === detail.field || detail.field.startsWith(`${name}.`),
    );
    const message = detail.messages.join('; ');
    if (field) setError(field, { type: 'server', message });
    else unplaced.push(`${detail.field}: ${message}`);
  }
  if (error.details.length === 0) return error.message;
  return unplaced.length > 0 ? unplaced.join(' · ') : null;
}
