import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { CreateDeliverableRequest, UpdateDeliverableRequest } from '@orch/contracts';
import { IsOptional, IsString, IsUUID, MaxLength, MinLength, ValidateIf } from 'class-validator';
import { IsNotBlank, IsOmittable } from '../../../infra/http/validators.js';

export const MAX_CONTENT = 200_000;

export class CreateDeliverableDto implements CreateDeliverableRequest {
  @ApiProperty({ example: 'Weekly market summary' })
  @IsString()
  @MinLength(1)
  @IsNotBlank()
  @MaxLength(200)
  title!: string;

  @ApiProperty({ description: 'Markdown', example: '# Summary\n\nDemand grew 4%.' })
  @IsString()
  @MinLength(1)
  @IsNotBlank()
  @MaxLength(MAX_CONTENT)
  content!: string;

  @ApiPropertyOptional({ format: 'uuid', nullable: true })
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @IsUUID('all')
  agentId?: string | null;
}

export class UpdateDeliverableDto implements UpdateDeliverableRequest {
  @ApiPropertyOptional()
  @IsOmittable()
  @IsString()
  @MinLength(1)
  @IsNotBlank()
  @MaxLength(200)
  title?: string;

  @ApiPropertyOptional({ description: 'Markdown' })
  @IsOmittable()
  @IsString()
  @MinLength(1)
  @IsNotBlank()
  @MaxLength(MAX_CONTENT)
  content?: string;

  @ApiPropertyOptional({ format: 'uuid', nullable: true })
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @IsUUID('all')
  agentId?: string | null;
}
