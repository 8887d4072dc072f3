import {
  AGENT_MODELS,
  AGENT_NAMES,
  AGENT_ROLES,
  AGENT_STATUS_CYCLE,
  AGENT_TEAM,
  type AgentProfile,
} from '../pools/agents.js';
import { WORKSPACE_DESCRIPTIONS, WORKSPACE_NAMES } from '../pools/workspaces.js';
import { Rng, seedUuid } from '../random.js';
import type { SeedScale } from '../scale.js';
import { DAY, HOUR } from './durations.js';

/**
 * The plan of a seed: every workspace and agent, computed in JavaScript from
 * the namespaces alone, so the same input always gives the same rows. The
 * other planners (settings, deliverables, goals, thinking) read it.
 */

export interface PlannedWorkspace {
  /** 1-based. */
  index: number;
  id: string;
  name: string;
  description: string;
  createdAt: Date;
}

export interface PlannedAgent {
  /** 1-based within its workspace. */
  index: number;
  id: string;
  workspace: PlannedWorkspace;
  profile: AgentProfile;
  status: (typeof AGENT_STATUS_CYCLE)[number];
  createdAt: Date;
  updatedAt: Date;
}

export interface WorkspacePlanInput {
  /** Namespace of the deterministic ids, e.g. `seed:42` or `demo:<user id>`. */
  idNamespace: string;
  /** Namespace of the random draws: the same content namespace, the same text. */
  contentNamespace: string;
  ownerId: string;
  /** "Now" for the generated timestamps. */
  anchor: Date;
  scale: SeedScale;
  /** Names of the first workspaces; the rest come from the pool. */
  names: string[];
}

export interface WorkspacePlan extends WorkspacePlanInput {
  workspaces: PlannedWorkspace[];
  /** By workspace, in order: agentsPerWorkspace each. */
  agents: PlannedAgent[];
}

export function planWorkspaces(input: WorkspacePlanInput): WorkspacePlan {
  const { idNamespace, contentNamespace, anchor, scale } = input;
  const workspaces: PlannedWorkspace[] = [];
  const agents: PlannedAgent[] = [];
  for (let w = 1; w <= scale.workspaces; w++) {
    const rng = new Rng(`${contentNamespace}:workspace:${w}`);
    const round = Math.floor((w - 1) / WORKSPACE_NAMES.length);
    const workspace: PlannedWorkspace = {
      index: w,
      id: seedUuid(`${idNamespace}:workspace:${w}`),
      name:
        input.names[w - 1] ??
        WORKSPACE_NAMES[(w - 1) % WORKSPACE_NAMES.length] + (round > 0 ? ` ${round + 1}` : ''),
      description: rng.pick(WORKSPACE_DESCRIPTIONS),
      createdAt: new Date(anchor.getTime() - 60 * DAY + w * 10 * 60_000 + rng.int(0, 9) * 60_000),
    };
    workspaces.push(workspace);

    const agentRng = new Rng(`${contentNamespace}:agents:${w}`);
    const teamOffset = ((w - 1) * 3) % AGENT_TEAM.length;
    const statusOffset = ((w - 1) * 5) % AGENT_STATUS_CYCLE.length;
    const spacing = Math.min(3 * HOUR, (30 * DAY) / Math.max(1, scale.agentsPerWorkspace));
    for (let a = 0; a < scale.agentsPerWorkspace; a++) {
      const profile = agentProfile(agentRng, a, teamOffset);
      const createdAt = new Date(
        workspace.createdAt.getTime() + (a + 1) * spacing + agentRng.int(0, 50) * 60_000,
      );
      const sinceCreated = anchor.getTime() - createdAt.getTime();
      agents.push({
        index: a + 1,
        id: seedUuid(`${idNamespace}:agent:${w}:${a + 1}`),
        workspace,
        profile,
        status: AGENT_STATUS_CYCLE[(a + statusOffset) % AGENT_STATUS_CYCLE.length],
        createdAt,
        updatedAt: new Date(
          anchor.getTime() - Math.min(sinceCreated, agentRng.int(1, 72 * 60) * 60_000),
        ),
      });
    }
  }
  return { ...input, workspaces, agents };
}

/** The team first (rotated per workspace), then name x role x model from the pools. */
function agentProfile(rng: Rng, index: number, teamOffset: number): AgentProfile {
  if (index < AGENT_TEAM.length) return AGENT_TEAM[(index + teamOffset) % AGENT_TEAM.length];
  const extra = index - AGENT_TEAM.length;
  const round = Math.floor(extra / AGENT_NAMES.length);
  return {
    name: AGENT_NAMES[extra % AGENT_NAMES.length] + (round > 0 ? `-${round + 1}` : ''),
    role: rng.pick(AGENT_ROLES),
    model: rng.pick(AGENT_MODELS),
  };
}
