import {
  ApiExtraModels,
  ApiProperty,
  ApiPropertyOptional,
  ApiSchema,
  getSchemaPath,
} from '@nestjs/swagger';
import type { HealthCheck, HealthResponse } from '@orch/contracts';
import { sameKeys } from '../../infra/http/openapi/contract-shape.js';

@ApiSchema({ name: 'HealthCheck' })
export class HealthCheckDto implements HealthCheck {
  @ApiProperty({ enum: ['up', 'down'], example: 'up' })
  status!: 'up' | 'down';

  @ApiPropertyOptional({ type: 'number', example: 1.2 })
  latencyMs?: number;

  @ApiPropertyOptional()
  error?: string;
}

@ApiSchema({ name: 'HealthResponse' })
@ApiExtraModels(HealthCheckDto)
export class HealthResponseDto implements HealthResponse {
  @ApiProperty({ enum: ['ok', 'error'], example: 'ok' })
  status!: 'ok' | 'error';

  @ApiProperty({ type: 'integer', example: 3600 })
  uptimeSeconds!: number;

  @ApiProperty({
    type: 'object',
    additionalProperties: { $ref: getSchemaPath(HealthCheckDto) },
    example: { database: { status: 'up', latencyMs: 1.2 } },
  })
  checks!: Record<string, HealthCheck>;
}

sameKeys<HealthCheckDto, HealthCheck>(true);
sameKeys<HealthResponseDto, HealthResponse>(true);
