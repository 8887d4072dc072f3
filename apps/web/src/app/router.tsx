import { createBrowserRouter, Navigate } from 'react-router';
import { RouterProvider } from 'react-router/dom';

import { paths } from '../lib/paths';
import { AppLayout } from './layout';
import { RequireAuth } from './require-auth';
import { LoginRoute } from './routes/login';
import { NotFoundRoute } from './routes/not-found';
import { PerformanceRoute } from './routes/performance';
import { RouteError } from './routes/route-error';
import { WorkspaceRoute } from './routes/workspace';
import { WorkspaceDashboardRoute } from './routes/workspace-dashboard';
import { WorkspacesRoute } from './routes/workspaces';

export const router = createBrowserRouter([
  { path: paths.login, element: <LoginRoute />, errorElement: <RouteError /> },
  {
    element: <RequireAuth />,
    errorElement: <RouteError />,
    children: [
      {
        element: <AppLayout />,
        children: [
          { index: true, element: <Navigate to={paths.workspaces} replace /> },
          { path: 'workspaces', element: <WorkspacesRoute /> },
          {
            path: 'workspaces/:workspaceId',
            element: <WorkspaceRoute />,
            children: [
              { index: true, element: <WorkspaceDashboardRoute /> },
              { path: 'performance', element: <PerformanceRoute /> },
            ],
          },
          { path: 'performance', element: <PerformanceRoute /> },
          { path: '*', element: <NotFoundRoute /> },
        ],
      },
    ],
  },
]);

export function AppRouter() {
  return <RouterProvider router={router} />;
}
