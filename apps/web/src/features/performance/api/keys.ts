/** Every query key of the performance feature: instance-wide figures, not per workspace. */
export const performanceKeys = {
  all: () => ['performance'] as const,
  metrics: () => [...performanceKeys.all(), 'metrics'] as const,
  cacheStats: () => [...performanceKeys.all(), 'cache-stats'] as const,
  optimizations: () => [...performanceKeys.all(), 'optimizations'] as const,
};
