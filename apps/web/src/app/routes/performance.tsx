import { PerformanceView } from '../../features/performance/components/performance-view';

/**
 * /performance (polled every 30 s) and /workspaces/:id/performance (also refreshed on the
 * workspace's pushes, through the workspace layout's socket). The figures are the
 * instance's either way.
 */
export function PerformanceRoute() {
  return <PerformanceView />;
}
