import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  APPEND_STEPS_MAX,
  type AppendStepRequest,
  type AppendStepsRequest,
  type StartThinkingRequest,
  THINKING_PROCESS_STATUSES,
  THINKING_PROCESSES_DEFAULT,
  THINKING_PROCESSES_MAX,
  THINKING_STEP_KINDS,
  THINKING_STEPS_PER_PROCESS_DEFAULT,
  THINKING_STEPS_PER_PROCESS_MAX,
  type ThinkingProcessStatus,
  type ThinkingQuery,
  type ThinkingStepKind,
  type UpdateThinkingProcessRequest,
} from '@orch/contracts';
import { Type } from 'class-transformer';
import {
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Max,
  MaxLength,
  Min,
  MinLength,
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  ValidateNested,
} from 'class-validator';
import { IsNotBlank, IsOmittable } from '../../../infra/http/validators.js';

export class ThinkingQueryDto implements ThinkingQuery {
  @ApiPropertyOptional({
    minimum: 1,
    maximum: THINKING_PROCESSES_MAX,
    default: THINKING_PROCESSES_DEFAULT,
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(THINKING_PROCESSES_MAX)
  processes?: number;

  @ApiPropertyOptional({
    minimum: 0,
    maximum: THINKING_STEPS_PER_PROCESS_MAX,
    default: THINKING_STEPS_PER_PROCESS_DEFAULT,
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(THINKING_STEPS_PER_PROCESS_MAX)
  stepsPerProcess?: number;

  @ApiPropertyOptional({ description: 'Opaque cursor from the previous page' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  cursor?: string;
}

export class StartThinkingDto implements StartThinkingRequest {
  @ApiProperty({ format: 'uuid' })
  @IsUUID('all')
  agentId!: string;

  @ApiProperty({ example: 'Plan the Q3 competitor review' })
  @IsString()
  @MinLength(1)
  @IsNotBlank()
  @MaxLength(200)
  title!: string;
}

export class UpdateThinkingProcessDto implements UpdateThinkingProcessRequest {
  @ApiPropertyOptional({ enum: THINKING_PROCESS_STATUSES })
  @IsOmittable()
  @IsIn(THINKING_PROCESS_STATUSES)
  status?: ThinkingProcessStatus;
}

export class AppendStepDto implements AppendStepRequest {
  @ApiProperty({ enum: THINKING_STEP_KINDS })
  @IsIn(THINKING_STEP_KINDS)
  kind!: ThinkingStepKind;

  @ApiProperty({ example: 'The pricing page changed on Tuesday.' })
  @IsString()
  @MinLength(1)
  @IsNotBlank()
  @MaxLength(20_000)
  content!: string;
}

export class AppendStepsDto implements AppendStepsRequest {
  @ApiProperty({ type: [AppendStepDto], minItems: 1, maxItems: APPEND_STEPS_MAX })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(APPEND_STEPS_MAX)
  @ValidateNested({ each: true })
  @Type(() => AppendStepDto)
  steps!: AppendStepDto[];
}
