import { isRouteErrorResponse, Link, useRouteError } from 'react-router';

import { ErrorBox } from '../../components/error-box';
import { paths } from '../../lib/paths';

/** Shown when a route throws while rendering. */
export function RouteError() {
  const error = useRouteError();
  const shown = isRouteErrorResponse(error)
    ? new Error(`${error.status} ${error.statusText}`)
    : error;
  return (
    <div className="page">
      <ErrorBox error={shown} title="This page crashed" onRetry={() => window.location.reload()} />
      <p>
        <Link to={paths.workspaces}>Back to your workspaces</Link>
      </p>
    </div>
  );
}
