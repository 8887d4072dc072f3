import type { AgentStatus } from './enums.js';

export type AgentSettings = Record<string, string>;

export interface Agent {
  id: string;
  workspaceId: string;
  name: string;
  role: string;
  model: string;
  status: AgentStatus;
  settings: AgentSettings;
  createdAt: string;
  updatedAt: string;
}

/** `view=lite`: only what a status board needs. */
export type AgentLite = Pick<Agent, 'id' | 'name' | 'status' | 'updatedAt'>;

export type AgentView = 'full' | 'lite';

export interface CreateAgentRequest {
  name: string;
  role: string;
  model?: string;
  settings?: AgentSettings;
}

export interface UpdateAgentRequest {
  name?: string;
  role?: string;
  model?: string;
  status?: AgentStatus;
  /** Replaces the given keys; a key set to null is removed. */
  settings?: Record<string, string | null>;
}
