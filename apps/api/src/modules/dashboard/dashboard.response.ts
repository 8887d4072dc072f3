import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import {
  AGENT_STATUSES,
  type Agent,
  type AgentStatus,
  type Dashboard,
  type DashboardCounts,
  type Deliverable,
  type Goal,
  type Workspace,
} from '@orch/contracts';
import { sameKeys } from '../../infra/http/openapi/contract-shape.js';
import { AgentDto } from '../agents/dto/agent.response.js';
import { DeliverableDto } from '../deliverables/dto/deliverable.response.js';
import { GoalDto } from '../goals/dto/goal.response.js';
import { WorkspaceDto } from '../workspaces/dto/workspace.response.js';

const count = (example: number) => ApiProperty({ type: 'integer', minimum: 0, example });

@ApiSchema({ name: 'DashboardCounts' })
export class DashboardCountsDto implements DashboardCounts {
  @count(12)
  agents!: number;

  @count(340)
  deliverables!: number;

  @count(57)
  thinkingProcesses!: number;

  @count(4)
  goals!: number;
}

@ApiSchema({ name: 'Dashboard', description: 'Everything the dashboard shows, in one response' })
export class DashboardDto implements Dashboard {
  @ApiProperty({ type: WorkspaceDto })
  workspace!: Workspace;

  @ApiProperty({ type: [AgentDto] })
  agents!: Agent[];

  @ApiProperty({
    type: 'object',
    description: 'Agents per status; every status is present',
    properties: Object.fromEntries(AGENT_STATUSES.map((s) => [s, { type: 'integer', minimum: 0 }])),
    required: [...AGENT_STATUSES],
    example: { active: 5, idle: 4, busy: 2, error: 0, offline: 1, terminated: 0 },
  })
  agentStatusCounts!: Record<AgentStatus, number>;

  @ApiProperty({ type: [DeliverableDto], description: 'The latest deliverables, newest first' })
  recentDeliverables!: Deliverable[];

  @ApiProperty({ type: [GoalDto] })
  goals!: Goal[];

  @ApiProperty({ type: DashboardCountsDto })
  counts!: DashboardCounts;
}

sameKeys<DashboardCountsDto, DashboardCounts>(true);
sameKeys<DashboardDto, Dashboard>(true);
