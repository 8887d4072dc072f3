import { isApiError } from '../lib/api-client';

interface ErrorBoxProps {
  error: unknown;
  title?: string;
  onRetry?: () => void;
}

/** Shows an ApiError's message, code and field errors, or any other error's message. */
export function ErrorBox({ error, title = 'Something went wrong', onRetry }: ErrorBoxProps) {
  const message = error instanceof Error ? error.message : 'Unknown error.';
  const apiError = isApiError(error) ? error : null;

  return (
    <div className="error-box" role="alert" data-testid="error-box">
      <div className="error-box__title">
        {title}
        {apiError && apiError.statusCode > 0 && (
          <span className="error-box__code">
            {apiError.statusCode}
            {apiError.code ? ` · ${apiError.code}` : ''}
          </span>
        )}
      </div>
      <div className="error-box__message">{message}</div>
      {apiError && apiError.details.length > 0 && (
        <ul className="error-box__details">
          {apiError.details.map((detail) => (
            <li key={detail.field}>
              <code>{detail.field}</code>: {detail.messages.join('; ')}
            </li>
          ))}
        </ul>
      )}
      {onRetry && (
        <button type="button" className="btn btn--small" onClick={onRetry}>
          Retry
        </button>
      )}
    </div>
  );
}
