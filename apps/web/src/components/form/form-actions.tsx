interface FormActionsProps {
  submitLabel: string;
  pendingLabel?: string;
  isPending: boolean;
  onCancel?: () => void;
  /** A message about the whole form (an error not about one field). */
  error?: string | null;
  testId?: string;
}

/** Submit (and cancel) buttons with the form-level error above them. */
export function FormActions({
  submitLabel,
  pendingLabel = 'Saving…',
  isPending,
  onCancel,
  error,
  testId,
}: FormActionsProps) {
  return (
    <div className="form-actions">
      {error && (
        <div className="form-error" role="alert" data-testid="form-error">
          {error}
        </div>
      )}
      <button
        type="submit"
        className="btn btn--primary btn--small"
        disabled={isPending}
        data-testid={testId}
      >
        {isPending ? pendingLabel : submitLabel}
      </button>
      {onCancel && (
        <button type="button" className="btn btn--small btn--ghost" onClick={onCancel}>
          Cancel
        </button>
      )}
    </div>
  );
}
