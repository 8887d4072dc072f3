import { GOAL_STATUS_CYCLE, GOAL_TARGETS, GOAL_TEMPLATES, GOAL_WINDOWS } from '../pools/goals.js';
import { TOPICS } from '../pools/topics.js';
import { fill, Rng, seedUuid } from '../random.js';
import { DAY, HOUR } from './durations.js';
import type { WorkspacePlan } from './workspaces.js';

export interface PlannedGoal {
  id: string;
  workspaceId: string;
  title: string;
  description: string;
  status: (typeof GOAL_STATUS_CYCLE)[number];
  progress: number;
  /** 1 to 3 of the workspace's agents that are not terminated. */
  agentIds: string[];
  targetDeliverables: number;
  windowHours: number;
  lastCheckedAt: Date;
  /** null while paused: the monitor skips it. */
  nextCheckAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

/**
 * goalsPerWorkspace goals for every workspace, from the templates in turn;
 * the status cycles (shifted per workspace) and the progress, the checks and
 * the watching agents follow it.
 */
export function planGoals(plan: WorkspacePlan): PlannedGoal[] {
  const { anchor, scale } = plan;
  const goals: PlannedGoal[] = [];
  for (const workspace of plan.workspaces) {
    const rng = new Rng(`${plan.contentNamespace}:goals:${workspace.index}`);
    const working = plan.agents.filter(
      (a) => a.workspace === workspace && a.status !== 'terminated',
    );
    for (let g = 0; g < scale.goalsPerWorkspace; g++) {
      const template = GOAL_TEMPLATES[(g + workspace.index - 1) % GOAL_TEMPLATES.length];
      const window = rng.pick(GOAL_WINDOWS);
      const target = rng.pick(GOAL_TARGETS);
      const status = GOAL_STATUS_CYCLE[(g + (workspace.index - 1) * 3) % GOAL_STATUS_CYCLE.length];
      const progress =
        status === 'achieved'
          ? 100
          : status === 'at_risk'
            ? rng.int(8, 45)
            : status === 'missed'
              ? rng.int(20, 85)
              : status === 'paused'
                ? rng.int(0, 60)
                : rng.int(35, 95);
      const createdAt = new Date(
        anchor.getTime() - rng.int(2 * 24, 20 * 24) * HOUR - rng.int(0, 59) * 60_000,
      );
      const lastCheckedAt =
        status === 'paused'
          ? new Date(anchor.getTime() - rng.int(1, 5) * DAY)
          : new Date(anchor.getTime() - rng.int(1, 14) * 60_000 - rng.int(0, 59_999));
      const topic = rng.pick(TOPICS);
      // The order of the draws is the data: the watchers are drawn after the topic.
      const agentIds = rng.sample(working, rng.int(1, 3)).map((a) => a.id);
      goals.push({
        id: seedUuid(`${plan.idNamespace}:goal:${workspace.index}:${g + 1}`),
        workspaceId: workspace.id,
        title: fill(template.title, { target, window: window.text }),
        description: `${template.description} Focus this cycle: ${topic}.`,
        status,
        progress,
        agentIds,
        targetDeliverables: target,
        windowHours: window.hours,
        lastCheckedAt,
        nextCheckAt: status === 'paused' ? null : new Date(lastCheckedAt.getTime() + 15 * 60_000),
        createdAt,
        updatedAt: lastCheckedAt,
      });
    }
  }
  return goals;
}
