import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import type {
  Deliverable,
  DeliverableListResponse,
  DisplayCacheSummary,
  DisplayContent,
  DisplayedDeliverable,
  DisplayStatus,
} from '@orch/contracts';
import { sameKeys } from '../../../infra/http/openapi/contract-shape.js';
import { DisplayFields } from './display.response.js';

@ApiSchema({ name: 'Deliverable' })
export class DeliverableDto implements Deliverable {
  @ApiProperty({ format: 'uuid', example: '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d' })
  id!: string;

  @ApiProperty({ format: 'uuid', example: '0c9d6a52-3f1e-4b7a-8e2d-5a4c3b2a1f00' })
  workspaceId!: string;

  @ApiProperty({
    type: String,
    format: 'uuid',
    nullable: true,
    example: '7f0e4d2c-1b3a-4c5d-8e9f-0a1b2c3d4e5f',
  })
  agentId!: string | null;

  @ApiProperty({ example: 'Weekly digest' })
  title!: string;

  @ApiProperty({
    description: 'Markdown, as written by the agent',
    example: '# Weekly digest\n\nThree papers on retrieval.',
  })
  content!: string;

  @ApiProperty({
    description: 'sha256 of `content`, hex',
    pattern: '^[0-9a-f]{64}$',
    example: 'b5d4045c3f466fa91fe2cc6abe79232a1a57cdf104f7a26e716e0a1e2789df78',
  })
  contentHash!: string;

  @ApiProperty({ format: 'date-time', example: '2026-11-30T09:15:00.000Z' })
  createdAt!: string;

  @ApiProperty({ format: 'date-time', example: '2026-11-30T10:02:11.000Z' })
  updatedAt!: string;
}

@ApiSchema({ name: 'DisplayedDeliverable', description: 'A deliverable with its display form' })
export class DisplayedDeliverableDto extends DeliverableDto implements DisplayedDeliverable {
  @DisplayFields.content()
  displayContent!: DisplayContent | null;

  @DisplayFields.status()
  displayStatus!: DisplayStatus;

  @DisplayFields.fallback()
  fallbackHtml!: string | null;
}

@ApiSchema({ name: 'DisplayCacheSummary', description: 'What serving this list cost' })
export class DisplayCacheSummaryDto implements DisplayCacheSummary {
  @ApiProperty({ type: 'integer', description: 'Stored display content used', example: 19 })
  cached!: number;

  @ApiProperty({
    type: 'integer',
    description: 'Transformed while the request waited (always 0 with the display queue)',
    example: 0,
  })
  transformed!: number;

  @ApiProperty({
    type: 'integer',
    description: 'Served `pending` with their fallback: made behind the read, or failed',
    example: 1,
  })
  pending!: number;

  @ApiProperty({ type: 'integer', description: 'AI calls avoided', example: 19 })
  aiCallsSaved!: number;
}

@ApiSchema({ name: 'DeliverableListResponse' })
export class DeliverableListResponseDto implements DeliverableListResponse {
  @ApiProperty({ type: [DisplayedDeliverableDto] })
  items!: DisplayedDeliverable[];

  @ApiProperty({
    type: String,
    nullable: true,
    description: 'Pass as `cursor` for the next page; null on the last page',
    example: null,
  })
  nextCursor!: string | null;

  @ApiProperty({ type: DisplayCacheSummaryDto })
  displayCache!: DisplayCacheSummary;
}

sameKeys<DeliverableDto, Deliverable>(true);
sameKeys<DisplayedDeliverableDto, DisplayedDeliverable>(true);
sameKeys<DisplayCacheSummaryDto, DisplayCacheSummary>(true);
sameKeys<DeliverableListResponseDto, DeliverableListResponse>(true);
