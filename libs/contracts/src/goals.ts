import type { GoalStatus, ManualGoalStatus } from './enums.js';

export interface Goal {
  id: string;
  workspaceId: string;
  title: string;
  description: string | null;
  status: GoalStatus;
  /** 0..100: deliverables in the window / targetDeliverables (0 without a target). */
  progress: number;
  /** Why the goal monitor gave this status, in a short sentence; null until its first check. */
  statusReason: string | null;
  agentIds: string[];
  targetDeliverables: number | null;
  windowHours: number;
  /** When the goal monitor last evaluated the goal. */
  lastCheckedAt: string | null;
  /** The next check planned at the last one; activity in the workspace can bring it forward. */
  nextCheckAt: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface CreateGoalRequest {
  title: string;
  description?: string | null;
  agentIds?: string[];
  targetDeliverables?: number | null;
  windowHours?: number;
}

export interface UpdateGoalRequest extends Partial<CreateGoalRequest> {
  /** Pause the goal (the monitor leaves it alone) or resume it. */
  status?: ManualGoalStatus;
}
