import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';
import { ErrorCode, type ErrorResponse, type FieldError } from '@orch/contracts';
import { sameKeys } from './contract-shape.js';

@ApiSchema({ name: 'FieldError' })
export class FieldErrorDto implements FieldError {
  @ApiProperty({ example: 'name', description: 'Dotted path of the field' })
  field!: string;

  @ApiProperty({
    type: [String],
    example: ['name must be shorter than or equal to 100 characters'],
  })
  messages!: string[];
}

/** The one error body of every operation (the error filter builds nothing else). */
@ApiSchema({ name: 'ErrorResponse' })
export class ErrorResponseDto implements ErrorResponse {
  @ApiProperty({ type: 'integer', minimum: 400, maximum: 599, example: 404 })
  statusCode!: number;

  @ApiProperty({ description: 'The HTTP reason phrase', example: 'Not Found' })
  error!: string;

  @ApiProperty({ description: 'One human-readable sentence', example: 'Agent not found' })
  message!: string;

  @ApiPropertyOptional({
    enum: Object.values(ErrorCode),
    enumName: 'ErrorCode',
    description: 'A stable machine-readable code',
    example: ErrorCode.AgentNotFound,
  })
  code?: ErrorCode;

  @ApiPropertyOptional({
    type: [FieldErrorDto],
    description: 'For validation errors: one entry per bad field',
  })
  details?: FieldError[];
}

sameKeys<ErrorResponseDto, ErrorResponse>(true);
sameKeys<FieldErrorDto, FieldError>(true);
