import { ApiProperty } from '@nestjs/swagger';
import type { QuotaQuery } from '@orch/contracts';
import { IsUUID } from 'class-validator';

export class QuotaQueryDto implements QuotaQuery {
  @ApiProperty({ format: 'uuid' })
  @IsUUID('all')
  workspaceId!: string;
}
