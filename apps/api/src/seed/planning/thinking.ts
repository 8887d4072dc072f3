import { hash31 } from '../random.js';
import type { WorkspacePlan } from './workspaces.js';

/**
 * What Postgres needs to generate the thinking processes and steps itself
 * (writers/thinking-sql.ts): they are the bulk of a large seed, so only their
 * parameters are planned here, not their rows.
 */
export interface ThinkingPlan {
  /** Namespace of the deterministic ids, e.g. `seed:42`. */
  idNamespace: string;
  /** Salt of the SQL-side dice (from the content namespace). */
  salt: number;
  anchor: Date;
  workspaceIds: string[];
  /** Flattened: the agents of workspace w (1-based) are at (w-1)*agentsPerWorkspace .. */
  agentIds: string[];
  agentStatuses: string[];
  agentsPerWorkspace: number;
  processesPerWorkspace: number;
  stepsPerProcess: number;
}

export function planThinking(plan: WorkspacePlan): ThinkingPlan {
  const { scale } = plan;
  return {
    idNamespace: plan.idNamespace,
    salt: hash31(`${plan.contentNamespace}:thinking`),
    anchor: plan.anchor,
    workspaceIds: plan.workspaces.map((w) => w.id),
    agentIds: plan.agents.map((a) => a.id),
    agentStatuses: plan.agents.map((a) => a.status),
    agentsPerWorkspace: scale.agentsPerWorkspace,
    processesPerWorkspace: scale.processesPerWorkspace,
    stepsPerProcess: scale.stepsPerProcess,
  };
}
