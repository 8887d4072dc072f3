import { AgentStatus, GoalStatus } from '@orch/contracts';

/**
 * The goal monitor's rules (docs/goal-monitor.md), as pure functions of what a
 * check read and the time: no I/O, so every rule is unit-tested on its own.
 */

const HOUR_MS = 3_600_000;

export interface AgentFact {
  id: string;
  status: AgentStatus;
}

/** One goal as a check sees it: its row, and what the database counted for it. */
export interface GoalFacts {
  id: string;
  status: GoalStatus;
  progress: number;
  statusReason: string | null;
  agentIds: string[];
  targetDeliverables: number | null;
  windowHours: number;
  /** The window opens when the goal is created (ms since the epoch). */
  createdAt: number;
  /** The assigned agents that exist, with their statuses. */
  agents: AgentFact[];
  /** Deliverables of its agents (of any agent when none is assigned) created inside the window. */
  deliveredInWindow: number;
  /** The newest such deliverable, inside the window or not. */
  lastDeliverableAt: number | null;
  /** The newest thinking step of its agents (of any agent when none is assigned). */
  lastStepAt: number | null;
}

export interface Verdict {
  status: GoalStatus;
  /** 0..100 */
  progress: number;
  reason: string;
}

export interface GoalEvaluation {
  goal: GoalFacts;
  verdict: Verdict;
  /** Status, progress or reason differ from what is stored. */
  changed: boolean;
  /** At risk for want of activity: a thinking step could lift it. */
  stalled: boolean;
  /** The earliest later time at which the passing of time alone can change the verdict. */
  wakeAt: number | null;
}

export interface WorkspaceEvaluation {
  /** One per goal the monitor evaluates (every goal but the paused ones). */
  evaluations: GoalEvaluation[];
  /** The earliest wakeAt of any goal. */
  wakeAt: number | null;
  /** Agents assigned to an evaluated goal: only their status changes can change a verdict. */
  watchedAgentIds: string[];
  /** Which of them are down now. */
  downAgentIds: string[];
  /** Some goal is stalled: only then can a thinking step change a verdict. */
  stalled: boolean;
}

/** Paused goals are left alone; every other status is the monitor's to keep. */
export function isMonitored(status: GoalStatus): boolean {
  switch (status) {
    case GoalStatus.Active:
    case GoalStatus.AtRisk:
    case GoalStatus.Achieved:
    case GoalStatus.Missed:
      return true;
    case GoalStatus.Paused:
      return false;
    default:
      return unreachable(status);
  }
}

/** An agent that is not going to deliver: error, offline or terminated. */
export function isAgentDown(status: AgentStatus): boolean {
  switch (status) {
    case AgentStatus.Error:
    case AgentStatus.Offline:
    case AgentStatus.Terminated:
      return true;
    case AgentStatus.Active:
    case AgentStatus.Idle:
    case AgentStatus.Busy:
      return false;
    default:
      return unreachable(status);
  }
}

/** A switch that reaches here was not exhaustive: adding an enum value fails to compile. */
function unreachable(value: never): never {
  throw new Error(`unhandled value ${String(value)}`);
}

/** "12 h", "90 min": a span of the window, for a reason that stays the same from check to check. */
export function formatSpan(ms: number): string {
  return ms % HOUR_MS === 0 ? `${ms / HOUR_MS} h` : `${Math.round(ms / 60_000)} min`;
}

const AGENTS_DOWN = 'Every assigned agent is error, offline or terminated';

/**
 * The verdict on one monitored goal at `now`. With a target, the window is
 * [createdAt, createdAt + windowHours): achieved once the target is met in
 * it, missed when it closes short. Without one, the goal asks for a
 * deliverable at least every windowHours (a rolling window). Either way it is
 * at risk when every assigned agent is down, when no deliverable has arrived
 * for its window (with a target: none in the first half), or when its agents
 * have shown no activity (no thinking step, no deliverable) for a quarter of
 * the window. The first rule that applies decides.
 */
export function evaluateGoal(goal: GoalFacts, now: number): GoalEvaluation {
  const windowMs = goal.windowHours * HOUR_MS;
  const start = goal.createdAt;
  const lastActivity = latest(goal.lastDeliverableAt, goal.lastStepAt);
  const quietSince = latest(start, lastActivity) ?? start;
  const stallAt = quietSince + windowMs / 4;
  const agentsDown = goal.agents.length > 0 && goal.agents.every((a) => isAgentDown(a.status));
  const stalledReason = `No thinking step or deliverable from its agents for ${formatSpan(windowMs / 4)}`;

  let verdict: Verdict;
  let stalled = false;
  const wakes: number[] = [];
  const target = goal.targetDeliverables;
  if (target !== null) {
    const delivered = goal.deliveredInWindow;
    const progress = Math.min(100, Math.floor((100 * delivered) / target));
    const end = start + windowMs;
    const halfway = start + windowMs / 2;
    if (delivered >= target) {
      verdict = {
        status: GoalStatus.Achieved,
        progress: 100,
        reason: `${delivered} of ${target} deliverables within the window`,
      };
    } else if (now >= end) {
      verdict = {
        status: GoalStatus.Missed,
        progress,
        reason: `${delivered} of ${target} deliverables when the window closed`,
      };
    } else {
      wakes.push(end, stallAt);
      if (delivered === 0) wakes.push(halfway);
      if (agentsDown) {
        verdict = { status: GoalStatus.AtRisk, progress, reason: AGENTS_DOWN };
      } else if (delivered === 0 && now >= halfway) {
        verdict = {
          status: GoalStatus.AtRisk,
          progress,
          reason: `No deliverable in the first half of the ${formatSpan(windowMs)} window`,
        };
      } else if (now >= stallAt) {
        stalled = true;
        verdict = { status: GoalStatus.AtRisk, progress, reason: stalledReason };
      } else {
        verdict = {
          status: GoalStatus.Active,
          progress,
          reason: `${delivered} of ${target} deliverables so far`,
        };
      }
    }
  } else {
    const dueBy = (latest(start, goal.lastDeliverableAt) ?? start) + windowMs;
    wakes.push(dueBy, stallAt);
    if (agentsDown) {
      verdict = { status: GoalStatus.AtRisk, progress: 0, reason: AGENTS_DOWN };
    } else if (now >= dueBy) {
      verdict = {
        status: GoalStatus.AtRisk,
        progress: 0,
        reason: `No deliverable in the last ${formatSpan(windowMs)}`,
      };
    } else if (now >= stallAt) {
      stalled = true;
      verdict = { status: GoalStatus.AtRisk, progress: 0, reason: stalledReason };
    } else {
      verdict = {
        status: GoalStatus.Active,
        progress: 0,
        reason: `Watching for a deliverable at least every ${formatSpan(windowMs)}`,
      };
    }
  }

  const future = wakes.filter((t) => t > now);
  return {
    goal,
    verdict,
    changed:
      verdict.status !== goal.status ||
      verdict.progress !== goal.progress ||
      verdict.reason !== goal.statusReason,
    stalled,
    wakeAt: future.length > 0 ? Math.min(...future) : null,
  };
}

/** Every monitored goal of a workspace, and what later events are judged against. */
export function evaluateWorkspace(goals: GoalFacts[], now: number): WorkspaceEvaluation {
  const evaluations = goals.filter((g) => isMonitored(g.status)).map((g) => evaluateGoal(g, now));
  const watched = new Set<string>();
  const down = new Set<string>();
  for (const { goal } of evaluations) {
    for (const id of goal.agentIds) watched.add(id);
    for (const agent of goal.agents) if (isAgentDown(agent.status)) down.add(agent.id);
  }
  const wakes = evaluations.map((e) => e.wakeAt).filter((t): t is number => t !== null);
  return {
    evaluations,
    wakeAt: wakes.length > 0 ? Math.min(...wakes) : null,
    watchedAgentIds: [...watched].sort(),
    downAgentIds: [...down].sort(),
    stalled: evaluations.some((e) => e.stalled),
  };
}

function latest(a: number | null, b: number | null): number | null {
  if (a === null) return b;
  if (b === null) return a;
  return Math.max(a, b);
}
