import { Navigate, Outlet, useLocation } from 'react-router';

import { paths } from '../lib/paths';
import { useSession } from '../lib/session';

/** Where to go back to after signing in, carried in the router's location state. */
export interface LoginLocationState {
  from?: string;
}

export function isLoginLocationState(value: unknown): value is LoginLocationState {
  return (
    typeof value === 'object' &&
    value !== null &&
    (!('from' in value) || typeof value.from === 'string')
  );
}

/** Renders the child routes when signed in, otherwise sends to /login (also after a 401). */
export function RequireAuth() {
  const session = useSession();
  const location = useLocation();

  if (!session) {
    const state: LoginLocationState = {
      from: `${location.pathname}${location.search}${location.hash}`,
    };
    return <Navigate to={paths.login} replace state={state} />;
  }
  return <Outlet />;
}
