import type { ThinkingProcess, ThinkingStep } from '@orch/contracts';
import type { PageRequest } from '../../core/pagination.js';

/**
 * The "recent thinking" reads, batched (ThinkingRepository) or the naive first
 * version (ThinkingBaselineRepository), as the `batching` switch chose at boot.
 * Both answer in the contract's shape, so the list is the same bytes either way.
 */
export abstract class ThinkingReader {
  /** A page of the workspace's processes, newest first: `page.limit + 1` rows at most. */
  abstract listRecentProcesses(workspaceId: string, page: PageRequest): Promise<ThinkingProcess[]>;
  /** The latest `stepsEach` steps of each process, oldest first, by process id. */
  abstract latestStepsOf(
    processIds: string[],
    stepsEach: number,
  ): Promise<Map<string, ThinkingStep[]>>;
}
