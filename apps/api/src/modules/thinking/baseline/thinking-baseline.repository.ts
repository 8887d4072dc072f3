import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { baselineOffset } from '../../../infra/database/offset.js';
import type { ThinkingReader } from '../thinking-reader.js';
import type { PageRequest } from '../../../core/pagination.js';
import { ThinkingProcessEntity } from '../entities/thinking-process.entity.js';
import { ThinkingStepEntity } from '../entities/thinking-step.entity.js';

/**
 * The naive first version, kept to measure against (OPTIMIZATIONS without
 * `batching`): an OFFSET page of processes, then one query per process for
 * its steps. 1 + N round trips.
 */
@Injectable()
export class ThinkingBaselineRepository implements ThinkingReader {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async listRecentProcesses(
    workspaceId: string,
    page: PageRequest,
  ): Promise<ThinkingProcessEntity[]> {
    const processes = this.db.getRepository(ThinkingProcessEntity);
    const skip = await baselineOffset(
      processes,
      { column: 'workspace_id', value: workspaceId },
      page,
    );
    return processes.find({
      where: { workspaceId },
      order: { createdAt: 'DESC', id: 'DESC' },
      skip,
      take: page.limit + 1,
    });
  }

  async latestStepsOf(
    processIds: string[],
    stepsEach: number,
  ): Promise<Map<string, ThinkingStepEntity[]>> {
    const byProcess = new Map<string, ThinkingStepEntity[]>();
    for (const processId of processIds) {
      const steps =
        stepsEach === 0
          ? []
          : await this.db.getRepository(ThinkingStepEntity).find({
              where: { processId },
              order: { createdAt: 'DESC', id: 'DESC' },
              take: stepsEach,
            });
      byProcess.set(processId, steps.reverse());
    }
    return byProcess;
  }
}
