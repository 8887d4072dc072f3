import type { DashboardRows } from './dashboard.repository.js';

/**
 * The dashboard read, in three round trips (DashboardRepository) or the naive
 * first version (DashboardBaselineRepository), as `batching` chose at boot.
 */
export abstract class DashboardReader {
  /** Null when the workspace does not exist. */
  abstract load(workspaceId: string): Promise<DashboardRows | null>;
}
