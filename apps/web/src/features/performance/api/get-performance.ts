import { queryOptions, useQuery } from '@tanstack/react-query';

import type {
  CacheStatsResponse,
  OptimizationsResponse,
  PerformanceMetricsResponse,
} from '@orch/contracts';

import { api } from '../../../lib/api-client';
import { livePolling } from '../../../lib/polling';
import { performanceKeys } from './keys';

/**
 * GET /api/performance/metrics: for an operator the instance's database, routes and realtime
 * figures; for a member, figures about their own workspaces (`scope` says which).
 */
export function getMetrics(signal?: AbortSignal) {
  return api.get<PerformanceMetricsResponse>('/performance/metrics', { signal });
}

/** GET /api/performance/cache-stats: hit rates per cache, display content and AI savings. */
export function getCacheStats(signal?: AbortSignal) {
  return api.get<CacheStatsResponse>('/performance/cache-stats', { signal });
}

/** GET /api/performance/optimizations: which optimizations are on, the active rate limits. */
export function getOptimizations(signal?: AbortSignal) {
  return api.get<OptimizationsResponse>('/performance/optimizations', { signal });
}

export const metricsQueryOptions = () =>
  queryOptions({
    queryKey: performanceKeys.metrics(),
    queryFn: ({ signal }) => getMetrics(signal),
    ...livePolling,
  });

export const cacheStatsQueryOptions = () =>
  queryOptions({
    queryKey: performanceKeys.cacheStats(),
    queryFn: ({ signal }) => getCacheStats(signal),
    ...livePolling,
  });

/** Fixed at start-up (OPTIMIZATIONS, RATE_LIMIT_*): fetched once per visit. */
export const optimizationsQueryOptions = () =>
  queryOptions({
    queryKey: performanceKeys.optimizations(),
    queryFn: ({ signal }) => getOptimizations(signal),
    staleTime: Infinity,
  });

export const useMetrics = () => useQuery(metricsQueryOptions());
export const useCacheStats = () => useQuery(cacheStatsQueryOptions());
export const useOptimizations = () => useQuery(optimizationsQueryOptions());
