import type { ThinkingProcessStatus, ThinkingStepKind } from './enums.js';

export interface ThinkingProcess {
  id: string;
  workspaceId: string;
  agentId: string;
  title: string;
  status: ThinkingProcessStatus;
  createdAt: string;
  updatedAt: string;
}

export interface ThinkingStep {
  id: string;
  processId: string;
  kind: ThinkingStepKind;
  content: string;
  createdAt: string;
}

/** A process with its latest steps, oldest of those first. */
export interface ThinkingProcessWithSteps extends ThinkingProcess {
  steps: ThinkingStep[];
}

export const THINKING_PROCESSES_DEFAULT = 10;
export const THINKING_PROCESSES_MAX = 50;
export const THINKING_STEPS_PER_PROCESS_DEFAULT = 20;
export const THINKING_STEPS_PER_PROCESS_MAX = 100;

export interface ThinkingQuery {
  processes?: number;
  stepsPerProcess?: number;
  cursor?: string;
}

export interface StartThinkingRequest {
  agentId: string;
  title: string;
}

export interface UpdateThinkingProcessRequest {
  status?: ThinkingProcessStatus;
}

export interface AppendStepRequest {
  kind: ThinkingStepKind;
  content: string;
}

export const APPEND_STEPS_MAX = 100;

/** Several steps in one request, stored in one statement, in this order. */
export interface AppendStepsRequest {
  steps: AppendStepRequest[];
}

export interface AppendStepsResponse {
  items: ThinkingStep[];
}
