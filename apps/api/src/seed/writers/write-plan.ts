import type { QueryRunner } from 'typeorm';
import { planAgentSettings } from '../planning/agent-settings.js';
import { planDeliverables } from '../planning/deliverables.js';
import { planGoals } from '../planning/goals.js';
import { planThinking } from '../planning/thinking.js';
import type { WorkspacePlan } from '../planning/workspaces.js';
import { writeAgentSettings } from './agent-settings.js';
import { writeAgents } from './agents.js';
import { writeDeliverables } from './deliverables.js';
import { writeGoals } from './goals.js';
import { writeThinkingProcesses, writeThinkingSteps } from './thinking.js';
import { writeWorkspaceMembers } from './workspace-members.js';
import { writeWorkspaces } from './workspaces.js';

/** Every table the seed writes, in insert order (parents first). */
export const SEED_TABLES = [
  'workspaces',
  'workspace_members',
  'agents',
  'agent_settings',
  'deliverables',
  'thinking_processes',
  'thinking_steps',
  'goals',
] as const;
export type SeedTable = (typeof SEED_TABLES)[number];

export interface SeedTableReport {
  table: SeedTable;
  rows: number;
  /** Wall time of the table's statements, including generating its rows. */
  ms: number;
}

/** Each table's rows: planned from the workspace plan, then written; returns the rows written. */
const WRITERS: Record<SeedTable, (q: QueryRunner, plan: WorkspacePlan) => Promise<number>> = {
  workspaces: writeWorkspaces,
  workspace_members: writeWorkspaceMembers,
  agents: (q, plan) => writeAgents(q, plan.agents),
  agent_settings: (q, plan) => writeAgentSettings(q, planAgentSettings(plan)),
  deliverables: (q, plan) => writeDeliverables(q, planDeliverables(plan)),
  thinking_processes: (q, plan) => writeThinkingProcesses(q, planThinking(plan)),
  thinking_steps: (q, plan) => writeThinkingSteps(q, planThinking(plan)),
  goals: (q, plan) => writeGoals(q, planGoals(plan)),
};

/** Writes everything in the plan, table by table in SEED_TABLES order, timing each. */
export async function writePlan(
  q: QueryRunner,
  plan: WorkspacePlan,
  onTable: (report: SeedTableReport) => void,
): Promise<void> {
  for (const table of SEED_TABLES) {
    const started = performance.now();
    const rows = await WRITERS[table](q, plan);
    onTable({ table, rows, ms: Math.round(performance.now() - started) });
  }
}
