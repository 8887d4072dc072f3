import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import { GOAL_STATUSES, type Goal, type GoalStatus } from '@orch/contracts';
import { sameKeys } from '../../../infra/http/openapi/contract-shape.js';
import { pageOf } from '../../../infra/http/openapi/responses.js';

@ApiSchema({ name: 'Goal' })
export class GoalDto implements Goal {
  @ApiProperty({ format: 'uuid', example: '2d4f6a8c-0e1b-4d3f-a5c7-e9b1d3f5a7c9' })
  id!: string;

  @ApiProperty({ format: 'uuid', example: '0c9d6a52-3f1e-4b7a-8e2d-5a4c3b2a1f00' })
  workspaceId!: string;

  @ApiProperty({ example: 'Ship the weekly literature digest' })
  title!: string;

  @ApiProperty({ type: String, nullable: true, example: null })
  description!: string | null;

  @ApiProperty({ enum: GOAL_STATUSES, enumName: 'GoalStatus', example: 'active' })
  status!: GoalStatus;

  @ApiProperty({
    type: 'number',
    minimum: 0,
    maximum: 100,
    description: 'Deliverables in the window / targetDeliverables, in percent',
    example: 40,
  })
  progress!: number;

  @ApiProperty({
    type: String,
    nullable: true,
    description: 'Why the goal monitor gave this status; null until its first check',
    example: '2 of 5 deliverables in the last 24 h',
  })
  statusReason!: string | null;

  @ApiProperty({ type: 'string', format: 'uuid', isArray: true, example: [] })
  agentIds!: string[];

  @ApiProperty({ type: 'integer', nullable: true, example: 5 })
  targetDeliverables!: number | null;

  @ApiProperty({ type: 'integer', example: 24 })
  windowHours!: number;

  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    description: 'When the goal monitor last evaluated the goal',
    example: '2026-11-30T10:00:00.000Z',
  })
  lastCheckedAt!: string | null;

  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    description: 'The next check planned; activity in the workspace can bring it forward',
    example: '2026-11-30T11:00:00.000Z',
  })
  nextCheckAt!: string | null;

  @ApiProperty({ format: 'date-time', example: '2026-11-30T09:15:00.000Z' })
  createdAt!: string;

  @ApiProperty({ format: 'date-time', example: '2026-11-30T10:02:11.000Z' })
  updatedAt!: string;
}

export const GoalPageDto = pageOf(GoalDto, 'GoalPage');

sameKeys<GoalDto, Goal>(true);
