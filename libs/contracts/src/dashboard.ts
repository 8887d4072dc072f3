import type { Agent } from './agents.js';
import type { Deliverable } from './deliverables.js';
import type { AgentStatus } from './enums.js';
import type { Goal } from './goals.js';
import type { Workspace } from './workspaces.js';

export const DASHBOARD_RECENT_DELIVERABLES = 10;

export interface DashboardCounts {
  agents: number;
  deliverables: number;
  thinkingProcesses: number;
  goals: number;
}

export interface Dashboard {
  workspace: Workspace;
  agents: Agent[];
  agentStatusCounts: Record<AgentStatus, number>;
  recentDeliverables: Deliverable[];
  goals: Goal[];
  counts: DashboardCounts;
}
