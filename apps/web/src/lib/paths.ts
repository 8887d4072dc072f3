/** The app's URLs, in one place so features can link without knowing the router. */
export const paths = {
  login: '/login',
  workspaces: '/workspaces',
  performance: '/performance',
  workspace: (workspaceId: string) => `/workspaces/${encodeURIComponent(workspaceId)}`,
  workspacePerformance: (workspaceId: string) =>
    `/workspaces/${encodeURIComponent(workspaceId)}/performance`,
} as const;
