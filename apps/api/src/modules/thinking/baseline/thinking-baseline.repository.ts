import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { ThinkingProcess, ThinkingStep } from '@orch/contracts';
import type { DataSource } from 'typeorm';
import { baselineOffset } from '../../../infra/database/offset.js';
import type { ThinkingReader } from '../thinking-reader.js';
import type { PageRequest } from '../../../core/pagination.js';
import { ThinkingProcessEntity } from '../entities/thinking-process.entity.js';
import { ThinkingStepEntity } from '../entities/thinking-step.entity.js';
import { toThinkingProcess, toThinkingStep } from '../thinking.mapper.js';

/**
 * The naive first version, kept to measure against (OPTIMIZATIONS without
 * `batching`): an OFFSET page of processes, then one query per process for
 * its steps. 1 + N round trips.
 */
@Injectable()
export class ThinkingBaselineRepository implements ThinkingReader {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async listRecentProcesses(workspaceId: string, page: PageRequest): Promise<ThinkingProcess[]> {
    const processes = this.db.getRepository(ThinkingProcessEntity);
    const skip = await baselineOffset(
      processes,
      { column: 'workspace_id', value: workspaceId },
      page,
    );
    const rows = await processes.find({
      where: { workspaceId },
      order: { createdAt: 'DESC', id: 'DESC' },
      skip,
      take: page.limit + 1,
    });
    return rows.map(toThinkingProcess);
  }

  async latestStepsOf(
    processIds: string[],
    stepsEach: number,
  ): Promise<Map<string, ThinkingStep[]>> {
    const byProcess = new Map<string, ThinkingStep[]>();
    for (const processId of processIds) {
      const steps =
        stepsEach === 0
          ? []
          : await this.db.getRepository(ThinkingStepEntity).find({
              where: { processId },
              order: { createdAt: 'DESC', id: 'DESC' },
              take: stepsEach,
            });
      byProcess.set(processId, steps.reverse().map(toThinkingStep));
    }
    return byProcess;
  }
}
