import { Navigate, useLocation } from 'react-router';

import { LoginForm } from '../../features/auth/components/login-form';
import { paths } from '../../lib/paths';
import { getSessionEndReason, useSession } from '../../lib/session';
import { isLoginLocationState } from '../require-auth';

export function LoginRoute() {
  const session = useSession();
  const location = useLocation();

  const state: unknown = location.state;
  const from = isLoginLocationState(state) && state.from ? state.from : paths.workspaces;
  const target = from.startsWith(paths.login) ? paths.workspaces : from;

  // Also the way out after a successful sign-in: setSession re-renders this route.
  if (session) return <Navigate to={target} replace />;

  return (
    <div className="login-page">
      <div className="login-page__brand">Agent Orchestrator</div>
      <LoginForm
        notice={
          getSessionEndReason() === 'expired' ? 'Your session expired. Please sign in again.' : null
        }
      />
    </div>
  );
}
