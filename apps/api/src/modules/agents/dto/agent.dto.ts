import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  AGENT_STATUSES,
  type AgentStatus,
  type AgentView,
  type CreateAgentRequest,
  type UpdateAgentRequest,
} from '@orch/contracts';
import {
  IsIn,
  IsObject,
  IsOptional,
  IsString,
  MaxLength,
  MinLength,
  registerDecorator,
  type ValidationOptions,
} from 'class-validator';
import { IsNotBlank, IsOmittable } from '../../../infra/http/validators.js';
import { PageQueryDto } from '../../../infra/http/pagination.js';

export const MAX_SETTINGS = 50;
const KEY = /^[A-Za-z0-9_.-]{1,64}$/;

/**
 * A flat map of at most 50 string settings with short keys; `nullValues: 'allowed'` (PATCH)
 * lets a key map to null, which removes that setting.
 */
function IsSettingsMap(
  { nullValues }: { nullValues: 'allowed' | 'refused' },
  options?: ValidationOptions,
) {
  const nullable = nullValues === 'allowed';
  return (target: object, propertyName: string) =>
    registerDecorator({
      name: 'isSettingsMap',
      target: target.constructor,
      propertyName,
      options: {
        message: `${propertyName} must map at most ${MAX_SETTINGS} keys ([A-Za-z0-9_.-], up to 64 characters) to strings of up to 2000 characters${nullable ? ' or null' : ''}`,
        ...options,
      },
      validator: {
        validate(value: unknown) {
          if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
          const entries = Object.entries(value as Record<string, unknown>);
          return (
            entries.length <= MAX_SETTINGS &&
            entries.every(
              ([k, v]) =>
                KEY.test(k) &&
                ((typeof v === 'string' && v.length <= 2000) || (nullable && v === null)),
            )
          );
        },
      },
    });
}

export class CreateAgentDto implements CreateAgentRequest {
  @ApiProperty({ example: 'Researcher' })
  @IsString()
  @MinLength(1)
  @IsNotBlank()
  @MaxLength(100)
  name!: string;

  @ApiProperty({ example: 'Finds and summarises sources' })
  @IsString()
  @MinLength(1)
  @IsNotBlank()
  @MaxLength(200)
  role!: string;

  @ApiPropertyOptional({ example: 'gpt-4o-mini' })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @IsNotBlank()
  @MaxLength(100)
  model?: string;

  @ApiPropertyOptional({ type: 'object', additionalProperties: { type: 'string' } })
  @IsOptional()
  @IsObject()
  @IsSettingsMap({ nullValues: 'refused' })
  settings?: Record<string, string>;
}

export class UpdateAgentDto implements UpdateAgentRequest {
  @ApiPropertyOptional()
  @IsOmittable()
  @IsString()
  @MinLength(1)
  @IsNotBlank()
  @MaxLength(100)
  name?: string;

  @ApiPropertyOptional()
  @IsOmittable()
  @IsString()
  @MinLength(1)
  @IsNotBlank()
  @MaxLength(200)
  role?: string;

  @ApiPropertyOptional()
  @IsOmittable()
  @IsString()
  @MinLength(1)
  @IsNotBlank()
  @MaxLength(100)
  model?: string;

  @ApiPropertyOptional({ enum: AGENT_STATUSES })
  @IsOmittable()
  @IsIn(AGENT_STATUSES)
  status?: AgentStatus;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: { type: 'string', nullable: true },
    description: 'Keys to set; a key set to null is removed',
  })
  @IsOmittable()
  @IsObject()
  @IsSettingsMap({ nullValues: 'allowed' })
  settings?: Record<string, string | null>;
}

export class ListAgentsQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: ['full', 'lite'], default: 'full' })
  @IsOptional()
  @IsIn(['full', 'lite'])
  view?: AgentView;
}
