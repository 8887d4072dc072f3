import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import type { DisplayContent, DisplayStatus } from '@orch/contracts';
import { sameKeys } from '../../../infra/http/openapi/contract-shape.js';

/**
 * The one place the OpenAPI document describes a deliverable's display form. A new
 * display status in the contract fails to compile here until it is given a meaning.
 */
const DISPLAY_STATUS_MEANING: Record<DisplayStatus, string> = {
  ready: '`displayContent` is current',
  pending:
    'not (yet) transformed for the current content: show `fallbackHtml` until a `deliverable.updated` push brings it',
};

@ApiSchema({
  name: 'DisplayContent',
  description: 'Made once by the AI transformation, then stored',
})
export class DisplayContentDto implements DisplayContent {
  @ApiProperty({
    description: 'Sanitised HTML: no script, no event handler, only http(s)/mailto links',
    example: '<h1>Weekly digest</h1><p>Three papers on retrieval.</p>',
  })
  html!: string;

  @ApiProperty({ description: 'One paragraph, plain text', example: 'Three papers on retrieval.' })
  summary!: string;

  @ApiProperty({
    type: [String],
    description: 'The headings, in order',
    example: ['Weekly digest'],
  })
  outline!: string[];
}

/** The display fields of a displayed deliverable. */
export const DisplayFields = {
  content: () =>
    ApiProperty({
      type: DisplayContentDto,
      nullable: true,
      description: 'null while `displayStatus` is not `ready`',
    }),
  status: () =>
    applyDecorators(
      ApiProperty({
        enum: Object.keys(DISPLAY_STATUS_MEANING),
        enumName: 'DisplayStatus',
        description: Object.entries(DISPLAY_STATUS_MEANING)
          .map(([status, meaning]) => `\`${status}\`: ${meaning}`)
          .join('; '),
        example: 'ready',
      }),
    ),
  fallback: () =>
    ApiProperty({
      type: String,
      nullable: true,
      description:
        'While `pending`: the markdown rendered locally (no AI) to sanitised HTML, safe to show meanwhile; null when `ready`',
      example: null,
    }),
};

sameKeys<DisplayContentDto, DisplayContent>(true);
