import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  type CreateGoalRequest,
  MANUAL_GOAL_STATUSES,
  type ManualGoalStatus,
  type UpdateGoalRequest,
} from '@orch/contracts';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateIf,
} from 'class-validator';
import { IsNotBlank, IsOmittable } from '../../../infra/http/validators.js';

class GoalFieldsDto {
  @ApiPropertyOptional({ nullable: true })
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @IsString()
  @MaxLength(2000)
  description?: string | null;

  @ApiPropertyOptional({ type: [String], format: 'uuid' })
  @IsOmittable()
  @IsArray()
  @ArrayMaxSize(100)
  @IsUUID('all', { each: true })
  agentIds?: string[];

  @ApiPropertyOptional({ nullable: true, minimum: 1 })
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  targetDeliverables?: number | null;

  @ApiPropertyOptional({ minimum: 1, maximum: 8760, default: 24 })
  @IsOmittable()
  @IsInt()
  @Min(1)
  @Max(8760)
  windowHours?: number;
}

export class CreateGoalDto extends GoalFieldsDto implements CreateGoalRequest {
  @ApiProperty({ example: 'Ship 5 research briefs a day' })
  @IsString()
  @MinLength(1)
  @IsNotBlank()
  @MaxLength(200)
  title!: string;
}

export class UpdateGoalDto extends GoalFieldsDto implements UpdateGoalRequest {
  @ApiPropertyOptional()
  @IsOmittable()
  @IsString()
  @MinLength(1)
  @IsNotBlank()
  @MaxLength(200)
  title?: string;

  /** active or paused: the other statuses are the goal monitor's verdicts. */
  @ApiPropertyOptional({ enum: MANUAL_GOAL_STATUSES })
  @IsOmittable()
  @IsIn(MANUAL_GOAL_STATUSES)
  status?: ManualGoalStatus;
}
