import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import {
  THINKING_PROCESS_STATUSES,
  THINKING_STEP_KINDS,
  type AppendStepsResponse,
  type ThinkingProcess,
  type ThinkingProcessStatus,
  type ThinkingProcessWithSteps,
  type ThinkingStep,
  type ThinkingStepKind,
} from '@orch/contracts';
import { sameKeys } from '../../../infra/http/openapi/contract-shape.js';
import { pageOf } from '../../../infra/http/openapi/responses.js';

@ApiSchema({ name: 'ThinkingProcess' })
export class ThinkingProcessDto implements ThinkingProcess {
  @ApiProperty({ format: 'uuid', example: '3c5e7a9b-1d2f-4a6c-8e0b-2d4f6a8c0e1b' })
  id!: string;

  @ApiProperty({ format: 'uuid', example: '0c9d6a52-3f1e-4b7a-8e2d-5a4c3b2a1f00' })
  workspaceId!: string;

  @ApiProperty({ format: 'uuid', example: '7f0e4d2c-1b3a-4c5d-8e9f-0a1b2c3d4e5f' })
  agentId!: string;

  @ApiProperty({ example: 'Pick this week’s papers' })
  title!: string;

  @ApiProperty({
    enum: THINKING_PROCESS_STATUSES,
    enumName: 'ThinkingProcessStatus',
    example: 'running',
  })
  status!: ThinkingProcessStatus;

  @ApiProperty({ format: 'date-time', example: '2026-11-30T09:15:00.000Z' })
  createdAt!: string;

  @ApiProperty({ format: 'date-time', example: '2026-11-30T10:02:11.000Z' })
  updatedAt!: string;
}

@ApiSchema({ name: 'ThinkingStep' })
export class ThinkingStepDto implements ThinkingStep {
  @ApiProperty({ format: 'uuid', example: '4e6a8c0e-2b3d-4f5a-9c1e-3b5d7f9a1c2e' })
  id!: string;

  @ApiProperty({ format: 'uuid', example: '3c5e7a9b-1d2f-4a6c-8e0b-2d4f6a8c0e1b' })
  processId!: string;

  @ApiProperty({ enum: THINKING_STEP_KINDS, enumName: 'ThinkingStepKind', example: 'observation' })
  kind!: ThinkingStepKind;

  @ApiProperty({ example: 'Two of the five candidates are surveys.' })
  content!: string;

  @ApiProperty({ format: 'date-time', example: '2026-11-30T09:16:00.000Z' })
  createdAt!: string;
}

@ApiSchema({
  name: 'ThinkingProcessWithSteps',
  description: 'A process with its latest steps, oldest of those first',
})
export class ThinkingProcessWithStepsDto
  extends ThinkingProcessDto
  implements ThinkingProcessWithSteps
{
  @ApiProperty({ type: [ThinkingStepDto] })
  steps!: ThinkingStep[];
}

@ApiSchema({ name: 'AppendStepsResponse' })
export class AppendStepsResponseDto implements AppendStepsResponse {
  @ApiProperty({ type: [ThinkingStepDto], description: 'The stored steps, in the order sent' })
  items!: ThinkingStep[];
}

export const ThinkingProcessWithStepsPageDto = pageOf(
  ThinkingProcessWithStepsDto,
  'ThinkingProcessWithStepsPage',
);
export const ThinkingStepPageDto = pageOf(ThinkingStepDto, 'ThinkingStepPage');

sameKeys<ThinkingProcessDto, ThinkingProcess>(true);
sameKeys<ThinkingStepDto, ThinkingStep>(true);
sameKeys<ThinkingProcessWithStepsDto, ThinkingProcessWithSteps>(true);
sameKeys<AppendStepsResponseDto, AppendStepsResponse>(true);
