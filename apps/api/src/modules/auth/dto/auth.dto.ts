import { ApiProperty } from '@nestjs/swagger';
import type { LoginRequest, RegisterRequest } from '@orch/contracts';
import { IsEmail, IsString, MaxLength, MinLength } from 'class-validator';
import { IsNotBlank } from '../../../infra/http/validators.js';

export class RegisterDto implements RegisterRequest {
  @ApiProperty({ example: 'ada@example.com' })
  @IsEmail()
  @MaxLength(254)
  email!: string;

  @ApiProperty({ minLength: 8, maxLength: 200 })
  @IsString()
  @MinLength(8)
  @MaxLength(200)
  password!: string;

  @ApiProperty({ example: 'Ada Lovelace' })
  @IsString()
  @MinLength(1)
  @IsNotBlank()
  @MaxLength(100)
  name!: string;
}

export class LoginDto implements LoginRequest {
  @ApiProperty({ example: 'demo@example.com' })
  @IsEmail()
  @MaxLength(254)
  email!: string;

  @ApiProperty({ example: 'demo-password' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  password!: string;
}
