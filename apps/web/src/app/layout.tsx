import { Link, NavLink, Outlet } from 'react-router';

import { useMe } from '../features/auth/api/get-me';
import { paths } from '../lib/paths';
import { clearSession, useSession } from '../lib/session';

export function AppLayout() {
  const session = useSession();

  return (
    <div className="app">
      <header className="topbar">
        <Link to={paths.workspaces} className="topbar__brand">
          Agent Orchestrator
        </Link>
        <nav className="topbar__nav">
          <NavLink to={paths.workspaces} end>
            Workspaces
          </NavLink>
          <NavLink to={paths.performance} data-testid="nav-performance">
            Performance
          </NavLink>
        </nav>
        <div className="topbar__spacer" />
        {session && <CurrentUser userId={session.user.id} fallbackName={session.user.name} />}
        <button
          type="button"
          className="btn btn--small btn--ghost"
          onClick={() => clearSession('logout')}
          data-testid="logout"
        >
          Sign out
        </button>
      </header>
      <main className="main">
        <Outlet />
      </main>
    </div>
  );
}

/** Asks the API who the token belongs to: an expired token ends the session right away. */
function CurrentUser({ userId, fallbackName }: { userId: string; fallbackName: string }) {
  const me = useMe(userId);
  const user = me.data;
  return (
    <span className="topbar__user" title={user?.email} data-testid="current-user">
      {user?.name ?? fallbackName}
    </span>
  );
}
