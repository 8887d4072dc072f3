import type { GoalStatus } from './enums.js';

export interface Goal {
  id: string;
  workspaceId: string;
  title: string;
  description: string | null;
  status: GoalStatus;
  /** 0..100 */
  progress: number;
  agentIds: string[];
  targetDeliverables: number | null;
  windowHours: number;
  lastCheckedAt: string | null;
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
  status?: GoalStatus;
}
