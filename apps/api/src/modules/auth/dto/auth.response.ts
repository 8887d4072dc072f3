import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import type { AuthResponse, User } from '@orch/contracts';
import { sameKeys } from '../../../infra/http/openapi/contract-shape.js';

@ApiSchema({ name: 'User' })
export class UserDto implements User {
  @ApiProperty({ format: 'uuid', example: '5b2f7c1e-8a0d-4a3f-9d7e-2c1b0a9f8e7d' })
  id!: string;

  @ApiProperty({ format: 'email', example: 'demo@example.com' })
  email!: string;

  @ApiProperty({ example: 'Demo User' })
  name!: string;

  @ApiProperty({ format: 'date-time', example: '2026-11-30T09:15:00.000Z' })
  createdAt!: string;
}

@ApiSchema({ name: 'AuthResponse' })
export class AuthResponseDto implements AuthResponse {
  @ApiProperty({
    description: 'Send as `Authorization: Bearer <accessToken>`',
    example: 'eyJhbGciOiJIUzI1NiJ9.…',
  })
  accessToken!: string;

  @ApiProperty({ enum: ['Bearer'], example: 'Bearer' })
  tokenType!: 'Bearer';

  @ApiProperty({
    format: 'date-time',
    description: 'The token is refused after this time',
    example: '2026-12-01T09:15:00.000Z',
  })
  expiresAt!: string;

  @ApiProperty({ type: UserDto })
  user!: User;
}

sameKeys<UserDto, User>(true);
sameKeys<AuthResponseDto, AuthResponse>(true);
