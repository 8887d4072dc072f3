import { Link } from 'react-router';

import { paths } from '../../lib/paths';

export function NotFoundRoute() {
  return (
    <div className="page">
      <h1 className="page__title">Page not found</h1>
      <p>
        <Link to={paths.workspaces}>Back to your workspaces</Link>
      </p>
    </div>
  );
}
