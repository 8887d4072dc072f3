/** The app's URLs, in one place so features can link without knowing the router. */
export const paths = {
  login: '/login',
  workspaces: '/workspaces',
  workspace: (workspaceId: string) => `/workspaces/${encodeURIComponent(workspaceId)}`,
} as const;
