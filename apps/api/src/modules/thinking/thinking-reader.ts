import type { PageRequest } from '../../core/pagination.js';
import type { ThinkingProcessEntity } from './entities/thinking-process.entity.js';
import type { ThinkingStepEntity } from './entities/thinking-step.entity.js';

/**
 * The "recent thinking" reads, batched (ThinkingRepository) or the naive first
 * version (ThinkingBaselineRepository), as the `batching` switch chose at boot.
 */
export abstract class ThinkingReader {
  abstract listRecentProcesses(
    workspaceId: string,
    page: PageRequest,
  ): Promise<ThinkingProcessEntity[]>;
  /** The latest `stepsEach` steps of each process, by process id. */
  abstract latestStepsOf(
    processIds: string[],
    stepsEach: number,
  ): Promise<Map<string, ThinkingStepEntity[]>>;
}
