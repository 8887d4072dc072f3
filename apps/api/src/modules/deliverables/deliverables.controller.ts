import { Controller, Get, HttpCode, Param, Patch, Post, Res } from '@nestjs/common';
import { Body, Query } from '../../infra/http/validation.js';
import type { FastifyReply } from 'fastify';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { DeliverableListResponse, DisplayedDeliverable } from '@orch/contracts';
import { PageQueryDto, pageRequest } from '../../infra/http/pagination.js';
import { RateLimit } from '../../infra/throttling/rate-limit.decorators.js';
import { CurrentAccess, type WorkspaceAccess, WorkspaceScoped } from '../auth/access.decorators.js';
import { DeliverablesService } from './deliverables.service.js';
import { CreateDeliverableDto, UpdateDeliverableDto } from './dto/deliverable.dto.js';
import { ApiErrors, ApiOk } from '../../infra/http/openapi/responses.js';
import { DeliverableListResponseDto, DisplayedDeliverableDto } from './dto/deliverable.response.js';

@ApiTags('deliverables')
@ApiBearerAuth()
@Controller()
export class DeliverablesController {
  constructor(private readonly deliverables: DeliverablesService) {}

  @ApiOk(DeliverableListResponseDto, {
    description: 'One page of deliverables, newest first, with display content',
  })
  @ApiErrors(400)
  @WorkspaceScoped('workspace')
  @Get('workspaces/:id/deliverables')
  list(
    @CurrentAccess() access: WorkspaceAccess,
    @Query() query: PageQueryDto,
  ): Promise<DeliverableListResponse> {
    return this.deliverables.list(access.workspaceId, pageRequest(query));
  }

  @ApiOk(DisplayedDeliverableDto, { status: 201, description: 'The deliverable, created' })
  @WorkspaceScoped('workspace')
  @Post('workspaces/:id/deliverables')
  create(
    @CurrentAccess() access: WorkspaceAccess,
    @Body() dto: CreateDeliverableDto,
  ): Promise<DisplayedDeliverable> {
    return this.deliverables.create(access.workspaceId, dto);
  }

  @ApiOk(DisplayedDeliverableDto, { description: 'The deliverable with its display content' })
  @WorkspaceScoped('deliverable')
  @Get('deliverables/:id')
  get(@Param('id') id: string): Promise<DisplayedDeliverable> {
    return this.deliverables.get(id);
  }

  @ApiOk(DisplayedDeliverableDto, {
    status: 202,
    description:
      'Queued (the display queue, the default): what is stored now; the new result follows as deliverable.updated',
  })
  @ApiOk(DisplayedDeliverableDto, {
    description: 'Transformed again, now (OPTIMIZATIONS=-display-queue: on the read path)',
  })
  @ApiErrors(
    [429, 'Over the regenerate rate limit (RATE_LIMITED) or the daily AI quota (QUOTA_EXHAUSTED)'],
    502,
  )
  @WorkspaceScoped('deliverable')
  @RateLimit('regenerate')
  @Post('deliverables/:id/regenerate')
  @HttpCode(200)
  async regenerate(
    @Param('id') id: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<DisplayedDeliverable> {
    const { deliverable, queued } = await this.deliverables.regenerate(id);
    // Queued: accepted, the result follows as deliverable.updated (docs/display-content.md).
    if (queued) reply.status(202);
    return deliverable;
  }

  @ApiOk(DisplayedDeliverableDto, { description: 'The deliverable, updated' })
  @WorkspaceScoped('deliverable')
  @Patch('deliverables/:id')
  update(
    @CurrentAccess() access: WorkspaceAccess,
    @Param('id') id: string,
    @Body() dto: UpdateDeliverableDto,
  ): Promise<DisplayedDeliverable> {
    return this.deliverables.update(access.workspaceId, id, dto);
  }
}
