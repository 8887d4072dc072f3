import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type {
  AddMemberRequest,
  CreateWorkspaceRequest,
  UpdateWorkspaceRequest,
} from '@orch/contracts';
import { IsEmail, IsOptional, IsString, MaxLength, MinLength, ValidateIf } from 'class-validator';
import { IsNotBlank, IsOmittable } from '../../../infra/http/validators.js';

export class CreateWorkspaceDto implements CreateWorkspaceRequest {
  @ApiProperty({ example: 'Research team' })
  @IsString()
  @MinLength(1)
  @IsNotBlank()
  @MaxLength(120)
  name!: string;

  @ApiPropertyOptional({ nullable: true })
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @IsString()
  @MaxLength(2000)
  description?: string | null;
}

export class UpdateWorkspaceDto implements UpdateWorkspaceRequest {
  @ApiPropertyOptional()
  @IsOmittable()
  @IsString()
  @MinLength(1)
  @IsNotBlank()
  @MaxLength(120)
  name?: string;

  @ApiPropertyOptional({ nullable: true })
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @IsString()
  @MaxLength(2000)
  description?: string | null;
}

export class AddMemberDto implements AddMemberRequest {
  @ApiProperty({ example: 'colleague@example.com' })
  @IsEmail()
  @MaxLength(254)
  email!: string;
}
