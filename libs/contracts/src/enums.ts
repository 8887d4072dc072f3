/**
 * Enums are `as const` objects plus a union type of their values, so they
 * erase cleanly in every consumer (Node CommonJS, Vite, type-only imports).
 */

export const AgentStatus = {
  Active: 'active',
  Idle: 'idle',
  Busy: 'busy',
  Error: 'error',
  Offline: 'offline',
  /** Final: a terminated agent can't change status or settings again. */
  Terminated: 'terminated',
} as const;
export type AgentStatus = (typeof AgentStatus)[keyof typeof AgentStatus];
export const AGENT_STATUSES = Object.values(AgentStatus) as readonly AgentStatus[];

export const WorkspaceRole = {
  Owner: 'owner',
  Member: 'member',
} as const;
export type WorkspaceRole = (typeof WorkspaceRole)[keyof typeof WorkspaceRole];
export const WORKSPACE_ROLES = Object.values(WorkspaceRole) as readonly WorkspaceRole[];

export const ThinkingProcessStatus = {
  Running: 'running',
  Completed: 'completed',
  Failed: 'failed',
} as const;
export type ThinkingProcessStatus =
  (typeof ThinkingProcessStatus)[keyof typeof ThinkingProcessStatus];
export const THINKING_PROCESS_STATUSES = Object.values(
  ThinkingProcessStatus,
) as readonly ThinkingProcessStatus[];

export const ThinkingStepKind = {
  Observation: 'observation',
  Reasoning: 'reasoning',
  Decision: 'decision',
  Action: 'action',
  Result: 'result',
} as const;
export type ThinkingStepKind = (typeof ThinkingStepKind)[keyof typeof ThinkingStepKind];
export const THINKING_STEP_KINDS = Object.values(ThinkingStepKind) as readonly ThinkingStepKind[];

export const GoalStatus = {
  Active: 'active',
  AtRisk: 'at_risk',
  Achieved: 'achieved',
  Missed: 'missed',
  Paused: 'paused',
} as const;
export type GoalStatus = (typeof GoalStatus)[keyof typeof GoalStatus];
export const GOAL_STATUSES = Object.values(GoalStatus) as readonly GoalStatus[];

/**
 * The statuses a client sets on a goal: pause it, or hand it back to the goal
 * monitor. The others (at_risk, achieved, missed) are the monitor's verdicts.
 */
export type ManualGoalStatus = typeof GoalStatus.Active | typeof GoalStatus.Paused;
export const MANUAL_GOAL_STATUSES: readonly ManualGoalStatus[] = [
  GoalStatus.Active,
  GoalStatus.Paused,
];
