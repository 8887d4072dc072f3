/**
 * The root of every workspace-scoped query key. Feature `xQueryOptions` helpers extend
 * it, so `invalidateQueries({ queryKey: workspaceScope(id) })` refreshes one workspace.
 */
export const workspaceScope = (workspaceId: string) => ['workspace', workspaceId] as const;
