import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import {
  QUOTA_THRESHOLDS,
  type QuotaCheck,
  type QuotaNotification,
  type QuotaNotifications,
  type QuotaStatus,
  type QuotaThreshold,
  type QuotaUsage,
  type QuotaUsageDay,
} from '@orch/contracts';
import { sameKeys } from '../../../infra/http/openapi/contract-shape.js';

const workspaceId = () =>
  ApiProperty({ format: 'uuid', example: '0c9d6a52-3f1e-4b7a-8e2d-5a4c3b2a1f00' });
const count = (example: number, description?: string) =>
  ApiProperty({ type: 'integer', minimum: 0, example, description });

@ApiSchema({
  name: 'QuotaStatus',
  description: 'AI calls a workspace may make per UTC day, and how many are left',
})
export class QuotaStatusDto implements QuotaStatus {
  @workspaceId()
  workspaceId!: string;

  @count(12)
  used!: number;

  @count(1000, 'AI_DAILY_QUOTA')
  limit!: number;

  @count(988)
  remaining!: number;

  @ApiProperty({
    format: 'date-time',
    description: 'The next UTC midnight',
    example: '2026-12-01T00:00:00.000Z',
  })
  resetsAt!: string;
}

@ApiSchema({ name: 'QuotaCheck' })
export class QuotaCheckDto implements QuotaCheck {
  @workspaceId()
  workspaceId!: string;

  @ApiProperty({ description: 'May an AI call go ahead now', example: true })
  allowed!: boolean;

  @count(12)
  used!: number;

  @count(1000)
  limit!: number;

  @count(988)
  remaining!: number;

  @ApiProperty({ enum: ['daily_quota_exhausted'], nullable: true, example: null })
  reason!: 'daily_quota_exhausted' | null;
}

@ApiSchema({ name: 'QuotaUsageDay' })
export class QuotaUsageDayDto implements QuotaUsageDay {
  @ApiProperty({ format: 'date', description: 'YYYY-MM-DD, UTC', example: '2026-11-30' })
  day!: string;

  @count(12)
  calls!: number;
}

@ApiSchema({ name: 'QuotaUsage' })
export class QuotaUsageDto implements QuotaUsage {
  @workspaceId()
  workspaceId!: string;

  @ApiProperty({
    type: [QuotaUsageDayDto],
    description: 'The last 30 days, oldest first, days without calls included',
  })
  days!: QuotaUsageDay[];

  @count(12)
  total!: number;
}

@ApiSchema({
  name: 'QuotaNotification',
  description: 'Usage passed `threshold` percent of the daily quota',
})
export class QuotaNotificationDto implements QuotaNotification {
  @workspaceId()
  workspaceId!: string;

  @ApiProperty({ format: 'date', example: '2026-11-30' })
  day!: string;

  @ApiProperty({ type: 'integer', enum: [...QUOTA_THRESHOLDS], example: 80 })
  threshold!: QuotaThreshold;

  @count(800)
  used!: number;

  @count(1000)
  limit!: number;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;
}

@ApiSchema({ name: 'QuotaNotifications' })
export class QuotaNotificationsDto implements QuotaNotifications {
  @ApiProperty({ type: [QuotaNotificationDto] })
  items!: QuotaNotification[];
}

sameKeys<QuotaStatusDto, QuotaStatus>(true);
sameKeys<QuotaCheckDto, QuotaCheck>(true);
sameKeys<QuotaUsageDayDto, QuotaUsageDay>(true);
sameKeys<QuotaUsageDto, QuotaUsage>(true);
sameKeys<QuotaNotificationDto, QuotaNotification>(true);
sameKeys<QuotaNotificationsDto, QuotaNotifications>(true);
