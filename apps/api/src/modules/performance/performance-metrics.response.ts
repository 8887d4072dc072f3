import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import type {
  DatabaseMetrics,
  GoalMonitorStats,
  HttpMetrics,
  JsonValue,
  PerformanceMetrics,
  ProcessMetrics,
  RealtimeStats,
  RouteMetrics,
  WorkspacePerformance,
  WorkspacesPerformanceMetrics,
} from '@orch/contracts';
import { sameKeys } from '../../infra/http/openapi/contract-shape.js';
import {
  countsBy,
  DatabaseMetricsDto,
  GoalMonitorStatsDto,
  int,
  num,
  RealtimeStatsDto,
} from './performance.response.js';

/** Any JSON value per name: what modules contribute (docs/observability.md). */
const figures = (description: string) =>
  ApiProperty({ type: 'object', description, additionalProperties: {} });

@ApiSchema({ name: 'RouteMetrics', description: 'One route template and method since start' })
export class RouteMetricsDto implements RouteMetrics {
  @ApiProperty({ example: 'GET' })
  method!: string;
  @ApiProperty({ description: 'The template, never the raw URL', example: '/api/agents/:id' })
  route!: string;
  @int()
  count!: number;
  @int('5xx answers')
  errors!: number;
  @int('4xx answers')
  clientErrors!: number;
  @num()
  meanMs!: number;
  @num()
  p50Ms!: number;
  @num()
  p95Ms!: number;
  @num()
  p99Ms!: number;
  @num()
  maxMs!: number;
  @num('Database round trips per request, on average')
  meanDbQueries!: number;
}

@ApiSchema({ name: 'HttpMetrics' })
export class HttpMetricsDto implements HttpMetrics {
  @int()
  requests!: number;
  @int()
  errors!: number;
  @ApiProperty({ type: [RouteMetricsDto] })
  routes!: RouteMetrics[];
  @ApiProperty({ type: [RouteMetricsDto], description: 'The 10 with the highest p95' })
  slowestRoutes!: RouteMetrics[];
}

class EventLoopLagDto {
  @num()
  p50!: number;
  @num()
  p99!: number;
  @num()
  max!: number;
}

@ApiSchema({ name: 'ProcessMetrics' })
export class ProcessMetricsDto implements ProcessMetrics {
  @int()
  rssBytes!: number;
  @int()
  heapUsedBytes!: number;
  @int()
  heapTotalBytes!: number;
  @ApiProperty({ type: EventLoopLagDto })
  eventLoopLagMs!: ProcessMetrics['eventLoopLagMs'];
  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'number' },
    description: 'Startup steps, ms',
  })
  startup!: Record<string, number>;
}

@ApiSchema({ name: 'PerformanceMetrics', description: 'An operator’s view: the whole instance' })
export class PerformanceMetricsDto implements PerformanceMetrics {
  @ApiProperty({ enum: ['instance'] })
  scope!: 'instance';
  @int()
  uptimeSeconds!: number;
  @ApiProperty({ type: HttpMetricsDto })
  http!: HttpMetrics;
  @ApiProperty({ type: ProcessMetricsDto })
  process!: ProcessMetrics;
  @ApiProperty({ type: DatabaseMetricsDto })
  database!: DatabaseMetrics;
  @ApiProperty({ type: RealtimeStatsDto })
  realtime!: RealtimeStats;
  @ApiProperty({ type: GoalMonitorStatsDto })
  goalMonitor!: GoalMonitorStats;
  @countsBy('Requests this instance answered 429, by rate-limit tier, since start')
  rateLimited!: Record<string, number>;
  @figures('Figures other modules contribute, by module name')
  modules!: Record<string, JsonValue>;
}

@ApiSchema({ name: 'WorkspacePerformance' })
export class WorkspacePerformanceDto implements WorkspacePerformance {
  @ApiProperty({ format: 'uuid' })
  workspaceId!: string;
  @ApiProperty()
  name!: string;
  @figures('Figures modules contribute about this workspace, by module name')
  figures!: Record<string, JsonValue>;
}

@ApiSchema({
  name: 'WorkspacesPerformanceMetrics',
  description: 'A member’s view: figures about their own workspaces only',
})
export class WorkspacesPerformanceMetricsDto implements WorkspacesPerformanceMetrics {
  @ApiProperty({ enum: ['workspaces'] })
  scope!: 'workspaces';
  @int()
  uptimeSeconds!: number;
  @ApiProperty({ type: [WorkspacePerformanceDto] })
  workspaces!: WorkspacePerformance[];
}

sameKeys<RouteMetricsDto, RouteMetrics>(true);
sameKeys<HttpMetricsDto, HttpMetrics>(true);
sameKeys<ProcessMetricsDto, ProcessMetrics>(true);
sameKeys<PerformanceMetricsDto, PerformanceMetrics>(true);
sameKeys<WorkspacePerformanceDto, WorkspacePerformance>(true);
sameKeys<WorkspacesPerformanceMetricsDto, WorkspacesPerformanceMetrics>(true);
