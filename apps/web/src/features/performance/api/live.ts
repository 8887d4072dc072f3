import type { LiveContext } from '../../../lib/live-events';
import { requestRefresh } from '../../../lib/refresh';
import { performanceKeys } from './keys';

/**
 * Any pushed change moves the figures (queries run, caches hit or invalidated), but no
 * event carries them: refresh, coalesced, and never sooner than 20 s after the last fetch
 * (lib/refresh.ts), so a busy workspace costs at most 3 fetches a minute. Only views on
 * screen are refetched; elsewhere the figures are just marked stale.
 */
export function refreshPerformanceOnPush({ queryClient }: LiveContext): void {
  requestRefresh(queryClient, performanceKeys.metrics());
  requestRefresh(queryClient, performanceKeys.cacheStats());
}
