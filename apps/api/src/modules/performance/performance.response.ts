import { ApiExtraModels, ApiProperty, ApiSchema, getSchemaPath } from '@nestjs/swagger';
import {
  GOAL_STATUSES,
  OPTIMIZATION_NAMES,
  type CacheCleanupResponse,
  type CacheStatsEntry,
  type CacheStatsResponse,
  type DatabaseMetrics,
  type DisplayContentStats,
  type DisplayQueueStats,
  type GoalMonitorStats,
  type OptimizationName,
  type OptimizationsResponse,
  type OptimizationState,
  type RateLimitState,
  type RealtimeStats,
  type StatementStats,
} from '@orch/contracts';
import { sameKeys } from '../../infra/http/openapi/contract-shape.js';

export const int = (description?: string) =>
  ApiProperty({ type: 'integer', minimum: 0, description });
export const num = (description?: string) => ApiProperty({ type: 'number', description });
/** An object with exactly these keys, each a count. */
const countsOf = (keys: readonly string[], description?: string) =>
  ApiProperty({
    type: 'object',
    description,
    properties: Object.fromEntries(keys.map((k) => [k, { type: 'integer', minimum: 0 }])),
    required: [...keys],
  });
/** A map from names to counts. */
export const countsBy = (description: string) =>
  ApiProperty({
    type: 'object',
    description,
    additionalProperties: { type: 'integer', minimum: 0 },
  });

@ApiSchema({ name: 'OptimizationState' })
export class OptimizationStateDto implements OptimizationState {
  @ApiProperty({
    enum: OPTIMIZATION_NAMES,
    enumName: 'OptimizationName',
    example: 'response-cache',
  })
  name!: OptimizationName;

  @ApiProperty({ example: true })
  enabled!: boolean;

  @ApiProperty()
  description!: string;
}

@ApiSchema({ name: 'RateLimitState' })
export class RateLimitStateDto implements RateLimitState {
  @ApiProperty({ example: 'user' })
  tier!: string;

  @ApiProperty({ type: 'integer', example: 100 })
  limit!: number;

  @ApiProperty({ type: 'integer', example: 60 })
  windowSeconds!: number;
}

@ApiSchema({ name: 'OptimizationsResponse' })
export class OptimizationsResponseDto implements OptimizationsResponse {
  @ApiProperty({ type: [OptimizationStateDto] })
  optimizations!: OptimizationState[];

  @ApiProperty({ type: [RateLimitStateDto], description: 'The active limits' })
  rateLimits!: RateLimitState[];
}

@ApiSchema({ name: 'StatementStats' })
export class StatementStatsDto implements StatementStats {
  @ApiProperty({ description: 'The SQL with literals replaced by `?`' })
  sql!: string;
  @int()
  count!: number;
  @num()
  totalMs!: number;
  @num()
  meanMs!: number;
  @num()
  p95Ms!: number;
  @num()
  maxMs!: number;
}

type Pool = DatabaseMetrics['pool'];
@ApiSchema({ name: 'PoolStats' })
export class PoolStatsDto implements Pool {
  @int()
  max!: number;
  @int()
  total!: number;
  @int()
  idle!: number;
  @int()
  waiting!: number;
}

@ApiSchema({ name: 'DatabaseMetrics' })
export class DatabaseMetricsDto implements DatabaseMetrics {
  @int('Round trips since start')
  queries!: number;
  @int('Statements over DB_SLOW_QUERY_MS since start')
  slowQueries!: number;
  @num()
  slowQueryThresholdMs!: number;
  @ApiProperty({ type: PoolStatsDto })
  pool!: Pool;
  @ApiProperty({ type: [StatementStatsDto], description: 'Highest p95 first' })
  slowestStatements!: StatementStats[];
}

type RealtimeLimits = RealtimeStats['limits'];
@ApiSchema({ name: 'RealtimeLimits' })
export class RealtimeLimitsDto implements RealtimeLimits {
  @int()
  perWorkspace!: number;
  @int()
  total!: number;
}

@ApiSchema({ name: 'RealtimeStats' })
export class RealtimeStatsDto implements RealtimeStats {
  @ApiProperty()
  instanceId!: string;
  @int('Sockets connected to this instance')
  local!: number;
  @int('Across every instance when Redis is configured, else equal to local')
  total!: number;
  @countsBy('Sockets per workspace id')
  perWorkspace!: Record<string, number>;
  @ApiProperty({ type: RealtimeLimitsDto })
  limits!: RealtimeLimits;
  @countsOf(['workspace_limit', 'global_limit'])
  rejected!: RealtimeStats['rejected'];
  @int()
  heartbeatDisconnects!: number;
  @int()
  backlogDisconnects!: number;
}

type Checks = GoalMonitorStats['checks'];
@ApiSchema({ name: 'GoalMonitorChecks' })
export class GoalMonitorChecksDto implements Checks {
  @countsOf(['event', 'schedule'], 'Checks that evaluated at least one goal, by what made them due')
  run!: Checks['run'];
  @int()
  skipped!: number;
  @int()
  failed!: number;
}

type Events = GoalMonitorStats['events'];
@ApiSchema({ name: 'GoalMonitorEvents' })
export class GoalMonitorEventsDto implements Events {
  @int()
  received!: number;
  @int()
  coalesced!: number;
  @int()
  ignored!: number;
  @int()
  requested!: number;
}

type Seconds = GoalMonitorStats['eventToCheckSeconds'];
@ApiSchema({ name: 'SecondsSummary' })
export class SecondsSummaryDto implements Seconds {
  @int()
  count!: number;
  @num()
  sum!: number;
  @num()
  max!: number;
}

type Interval = GoalMonitorStats['intervals'][number];
@ApiSchema({ name: 'GoalMonitorInterval' })
export class GoalMonitorIntervalDto implements Interval {
  @int()
  intervalSeconds!: number;
  @int()
  workspaces!: number;
}

@ApiSchema({
  name: 'GoalMonitorStats',
  description: 'Counters since this process started (docs/goal-monitor.md)',
})
export class GoalMonitorStatsDto implements GoalMonitorStats {
  @ApiProperty()
  enabled!: boolean;
  @ApiProperty({ enum: ['backoff', 'fixed'] })
  mode!: 'backoff' | 'fixed';
  @ApiProperty({ type: GoalMonitorChecksDto })
  checks!: Checks;
  @countsOf(GOAL_STATUSES, 'Goals moved to another status, by the new status')
  statusChanges!: GoalMonitorStats['statusChanges'];
  @ApiProperty({ type: GoalMonitorEventsDto })
  events!: Events;
  @ApiProperty({ type: SecondsSummaryDto })
  eventToCheckSeconds!: Seconds;
  @int()
  polls!: number;
  @ApiProperty({ type: [GoalMonitorIntervalDto] })
  intervals!: Interval[];
}

@ApiSchema({ name: 'CacheStatsEntry' })
export class CacheStatsEntryDto implements CacheStatsEntry {
  @ApiProperty()
  enabled!: boolean;
  @int()
  hits!: number;
  @int()
  misses!: number;
  @ApiProperty({ type: 'number', minimum: 0, maximum: 1 })
  hitRate!: number;
  @int()
  evictions!: number;
  @int()
  expirations!: number;
  @int()
  staleDiscarded!: number;
  @int()
  size!: number;
  @int()
  maxEntries!: number;
  @num()
  ttlSeconds!: number;
}

@ApiSchema({
  name: 'DisplayQueueStats',
  description: 'Backpressure of the display queue (docs/display-content.md)',
})
export class DisplayQueueStatsDto implements DisplayQueueStats {
  @int('Jobs waiting or running, every instance’s')
  depth!: number;
  @int('Jobs due now and not leased')
  due!: number;
  @int('Jobs a worker holds now')
  running!: number;
  @int('Jobs waiting for their workspace’s next quota day')
  quotaBlocked!: number;
  @int('Jobs waiting to retry after failed attempts')
  failing!: number;
  @num('Age of the oldest job, seconds')
  oldestJobAgeSeconds!: number;
  @int('This instance: transformations finished in the last 60 s')
  transformsLastMinute!: number;
  @int('This instance: busy worker slots')
  workersBusy!: number;
  @int('AI_CONCURRENCY')
  concurrency!: number;
}

@ApiSchema({ name: 'DisplayContentStats' })
export class DisplayContentStatsDto implements DisplayContentStats {
  @ApiProperty({ example: 'local' })
  provider!: string;
  @ApiProperty()
  model!: string;
  @ApiProperty()
  transformVersion!: string;
  @int()
  aiCalls!: number;
  @int()
  aiCallsSaved!: number;
  @int()
  transformations!: number;
  @int()
  failures!: number;
  @int()
  quotaBlocked!: number;
  @num()
  estimatedCostSavedUsd!: number;
  @ApiProperty({
    type: DisplayQueueStatsDto,
    nullable: true,
    description: 'null when display-queue is off',
  })
  queue!: DisplayQueueStats | null;
}

@ApiSchema({ name: 'CacheStatsResponse' })
@ApiExtraModels(CacheStatsEntryDto)
export class CacheStatsResponseDto implements CacheStatsResponse {
  @ApiProperty({
    type: 'array',
    items: { type: 'string', enum: ['memory', 'redis'] },
    example: ['memory'],
  })
  tiers!: ('memory' | 'redis')[];
  @ApiProperty({
    type: 'object',
    additionalProperties: { $ref: getSchemaPath(CacheStatsEntryDto) },
  })
  caches!: Record<string, CacheStatsEntry>;
  @ApiProperty({ type: DisplayContentStatsDto })
  displayContent!: DisplayContentStats;
}

@ApiSchema({ name: 'CacheCleanupResponse' })
export class CacheCleanupResponseDto implements CacheCleanupResponse {
  @countsBy('Expired in-process entries dropped, per cache')
  removed!: Record<string, number>;
  @int()
  total!: number;
}

sameKeys<OptimizationStateDto, OptimizationState>(true);
sameKeys<RateLimitStateDto, RateLimitState>(true);
sameKeys<OptimizationsResponseDto, OptimizationsResponse>(true);
sameKeys<StatementStatsDto, StatementStats>(true);
sameKeys<PoolStatsDto, Pool>(true);
sameKeys<DatabaseMetricsDto, DatabaseMetrics>(true);
sameKeys<RealtimeLimitsDto, RealtimeLimits>(true);
sameKeys<RealtimeStatsDto, RealtimeStats>(true);
sameKeys<GoalMonitorChecksDto, Checks>(true);
sameKeys<GoalMonitorEventsDto, Events>(true);
sameKeys<SecondsSummaryDto, Seconds>(true);
sameKeys<GoalMonitorIntervalDto, Interval>(true);
sameKeys<GoalMonitorStatsDto, GoalMonitorStats>(true);
sameKeys<CacheStatsEntryDto, CacheStatsEntry>(true);
sameKeys<DisplayContentStatsDto, DisplayContentStats>(true);
sameKeys<DisplayQueueStatsDto, DisplayQueueStats>(true);
sameKeys<CacheStatsResponseDto, CacheStatsResponse>(true);
sameKeys<CacheCleanupResponseDto, CacheCleanupResponse>(true);
