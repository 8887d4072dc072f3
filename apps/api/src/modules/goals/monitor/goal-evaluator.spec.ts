import { AgentStatus, GoalStatus } from '@orch/contracts';
import { describe, expect, it } from 'vitest';
import {
  evaluateGoal,
  evaluateWorkspace,
  formatSpan,
  type GoalFacts,
  isAgentDown,
  isMonitored,
} from './goal-evaluator.js';

const HOUR = 3_600_000;
const T0 = Date.UTC(2026, 11, 1, 8, 0, 0);

/** A 24 h goal created at T0 by default, two live agents, nothing delivered yet. */
function goal(overrides: Partial<GoalFacts> = {}): GoalFacts {
  return {
    id: 'g1',
    status: GoalStatus.Active,
    progress: 0,
    statusReason: null,
    agentIds: ['a1', 'a2'],
    targetDeliverables: 4,
    windowHours: 24,
    createdAt: T0,
    agents: [
      { id: 'a1', status: AgentStatus.Busy },
      { id: 'a2', status: AgentStatus.Idle },
    ],
    deliveredInWindow: 0,
    lastDeliverableAt: null,
    lastStepAt: null,
    ...overrides,
  };
}

const at = (hours: number) => T0 + hours * HOUR;

describe('the goal rules', () => {
  describe('with a target', () => {
    it('is active with progress = delivered / target while on course', () => {
      const e = evaluateGoal(goal({ deliveredInWindow: 1, lastStepAt: at(2) }), at(3));
      expect(e.verdict).toEqual({
        status: 'active',
        progress: 25,
        reason: '1 of 4 deliverables so far',
      });
      expect(e.changed).toBe(true);
      // The next moment time alone matters: 6 h (a quarter window) after the last activity.
      expect(e.wakeAt).toBe(at(2) + 6 * HOUR);
    });

    it('is achieved once the target is delivered within the window, and stays so', () => {
      for (const now of [at(5), at(30)]) {
        const e = evaluateGoal(goal({ deliveredInWindow: 5 }), now);
        expect(e.verdict).toEqual({
          status: 'achieved',
          progress: 100,
          reason: '5 of 4 deliverables within the window',
        });
        expect(e.wakeAt).toBeNull();
      }
    });

    it('is missed when the window closes short, with the progress it reached', () => {
      const g = goal({ deliveredInWindow: 3, lastDeliverableAt: at(23) });
      expect(evaluateGoal(g, at(24) - 1).verdict.status).toBe('active');
      const e = evaluateGoal(g, at(24));
      expect(e.verdict).toEqual({
        status: 'missed',
        progress: 75,
        reason: '3 of 4 deliverables when the window closed',
      });
      expect(e.wakeAt).toBeNull();
      // The check before the close was told to wake at the close.
      expect(evaluateGoal(g, at(23.5)).wakeAt).toBe(at(24));
    });

    it('is at risk when every assigned agent is error, offline or terminated', () => {
      const down = [AgentStatus.Error, AgentStatus.Offline, AgentStatus.Terminated];
      for (const a1 of down) {
        for (const a2 of down) {
          const e = evaluateGoal(
            goal({
              agents: [
                { id: 'a1', status: a1 },
                { id: 'a2', status: a2 },
              ],
              lastStepAt: at(1),
            }),
            at(1),
          );
          expect(e.verdict, `${a1}, ${a2}`).toEqual({
            status: 'at_risk',
            progress: 0,
            reason: 'Every assigned agent is error, offline or terminated',
          });
        }
      }
      // One live agent is enough.
      const one = evaluateGoal(
        goal({
          agents: [
            { id: 'a1', status: AgentStatus.Terminated },
            { id: 'a2', status: AgentStatus.Active },
          ],
          lastStepAt: at(1),
        }),
        at(1),
      );
      expect(one.verdict.status).toBe('active');
    });

    it('is at risk with no deliverable by half of the window, though its agents think', () => {
      const g = goal({ lastStepAt: at(11.9) });
      expect(evaluateGoal(g, at(12) - 1).verdict.status).toBe('active');
      expect(evaluateGoal(g, at(12) - 1).wakeAt).toBe(at(12));
      expect(evaluateGoal(g, at(12)).verdict).toEqual({
        status: 'at_risk',
        progress: 0,
        reason: 'No deliverable in the first half of the 24 h window',
      });
      // One deliverable in the window lifts it.
      expect(evaluateGoal({ ...g, deliveredInWindow: 1 }, at(12)).verdict.status).toBe('active');
    });

    it('is at risk when its agents have been quiet for a quarter of the window, until one acts', () => {
      const quiet = goal({ deliveredInWindow: 1, lastDeliverableAt: at(1), lastStepAt: at(0.5) });
      expect(evaluateGoal(quiet, at(7) - 1).verdict.status).toBe('active');
      const e = evaluateGoal(quiet, at(7));
      expect(e.verdict).toEqual({
        status: 'at_risk',
        progress: 25,
        reason: 'No thinking step or deliverable from its agents for 6 h',
      });
      expect(e.stalled).toBe(true);
      // A thinking step is activity.
      const woke = evaluateGoal({ ...quiet, lastStepAt: at(6.9) }, at(7));
      expect(woke.verdict.status).toBe('active');
      expect(woke.stalled).toBe(false);
      // A goal created quietly counts its quiet time from its creation.
      expect(evaluateGoal(goal(), at(6)).verdict.reason).toMatch(/^No thinking step/);
      expect(evaluateGoal(goal(), at(6) - 1).verdict.status).toBe('active');
    });

    it('checks the rules in order: achieved, missed, agents down, no deliverable, quiet', () => {
      const allDown = [
        { id: 'a1', status: AgentStatus.Terminated },
        { id: 'a2', status: AgentStatus.Error },
      ];
      expect(
        evaluateGoal(goal({ agents: allDown, deliveredInWindow: 4 }), at(30)).verdict.status,
      ).toBe('achieved');
      expect(evaluateGoal(goal({ agents: allDown }), at(30)).verdict.status).toBe('missed');
      expect(evaluateGoal(goal({ agents: allDown }), at(13)).verdict.reason).toMatch(/^Every/);
      expect(evaluateGoal(goal(), at(13)).verdict.reason).toMatch(/^No deliverable/);
    });
  });

  describe('without a target (a deliverable at least every window)', () => {
    const ongoing = (o: Partial<GoalFacts> = {}) =>
      goal({ targetDeliverables: null, windowHours: 8, ...o });

    it('is active while deliverables keep coming, with no progress figure', () => {
      const e = evaluateGoal(ongoing({ lastDeliverableAt: at(5), lastStepAt: at(6) }), at(7));
      expect(e.verdict).toEqual({
        status: 'active',
        progress: 0,
        reason: 'Watching for a deliverable at least every 8 h',
      });
      expect(e.wakeAt).toBe(at(6) + 2 * HOUR);
    });

    it('is at risk once a whole window passes without a deliverable', () => {
      const g = ongoing({ lastDeliverableAt: at(5), lastStepAt: at(12.5) });
      expect(evaluateGoal(g, at(13) - 1).verdict.status).toBe('active');
      expect(evaluateGoal(g, at(13) - 1).wakeAt).toBe(at(13));
      expect(evaluateGoal(g, at(13)).verdict).toEqual({
        status: 'at_risk',
        progress: 0,
        reason: 'No deliverable in the last 8 h',
      });
    });

    it('is at risk when every assigned agent is down or its agents are quiet for 2 h', () => {
      expect(
        evaluateGoal(
          ongoing({
            agents: [
              { id: 'a1', status: AgentStatus.Offline },
              { id: 'a2', status: AgentStatus.Terminated },
            ],
          }),
          at(1),
        ).verdict.reason,
      ).toBe('Every assigned agent is error, offline or terminated');
      expect(evaluateGoal(ongoing({ lastStepAt: at(1) }), at(3)).verdict.reason).toBe(
        'No thinking step or deliverable from its agents for 2 h',
      );
    });

    it('with no agent assigned, the rule about agents does not apply', () => {
      const e = evaluateGoal(ongoing({ agentIds: [], agents: [], lastStepAt: at(1) }), at(1));
      expect(e.verdict.status).toBe('active');
    });
  });

  it('reports a change only when status, progress or reason differ from what is stored', () => {
    const first = evaluateGoal(goal({ deliveredInWindow: 2, lastStepAt: at(1) }), at(2));
    expect(first.changed).toBe(true);
    const stored = goal({
      deliveredInWindow: 2,
      lastStepAt: at(1),
      status: first.verdict.status,
      progress: first.verdict.progress,
      statusReason: first.verdict.reason,
    });
    // The same facts an hour later: the same verdict, word for word.
    expect(evaluateGoal(stored, at(3)).changed).toBe(false);
    expect(evaluateGoal({ ...stored, deliveredInWindow: 3 }, at(3)).changed).toBe(true);
  });

  it('reasons name spans of the window, never the time left, so they stay put between checks', () => {
    expect(formatSpan(6 * HOUR)).toBe('6 h');
    expect(formatSpan(HOUR / 4)).toBe('15 min');
    expect(formatSpan(1.5 * HOUR)).toBe('90 min');
    const a = evaluateGoal(goal({ windowHours: 1 }), at(0.25));
    expect(a.verdict.reason).toBe('No thinking step or deliverable from its agents for 15 min');
  });

  it('treats a clock behind the goal’s creation as no time passed', () => {
    const e = evaluateGoal(goal(), at(-1));
    expect(e.verdict.status).toBe('active');
    expect(e.wakeAt).toBe(at(6));
  });
});

describe('a workspace’s goals', () => {
  it('leaves paused goals alone and collects what later events are judged against', () => {
    const result = evaluateWorkspace(
      [
        goal({ id: 'paused', status: GoalStatus.Paused, agentIds: ['a9'], agents: [] }),
        goal({
          id: 'quiet',
          agentIds: ['a1', 'a2'],
          agents: [
            { id: 'a1', status: AgentStatus.Error },
            { id: 'a2', status: AgentStatus.Busy },
          ],
        }),
        goal({
          id: 'busy',
          agentIds: ['a3'],
          agents: [{ id: 'a3', status: AgentStatus.Busy }],
          lastStepAt: at(6.5),
        }),
      ],
      at(7),
    );
    expect(result.evaluations.map((e) => e.goal.id)).toEqual(['quiet', 'busy']);
    expect(result.watchedAgentIds).toEqual(['a1', 'a2', 'a3']);
    expect(result.downAgentIds).toEqual(['a1']);
    expect(result.stalled).toBe(true);
    // quiet: stalled until an event; busy: quiet from 12.5 h; both: halfway at 12 h.
    expect(result.wakeAt).toBe(at(12));
  });

  it('has nothing to evaluate when every goal is paused', () => {
    const result = evaluateWorkspace([goal({ status: GoalStatus.Paused })], at(1));
    expect(result).toEqual({
      evaluations: [],
      wakeAt: null,
      watchedAgentIds: [],
      downAgentIds: [],
      stalled: false,
    });
  });
});

describe('the status enums, handled exhaustively', () => {
  it('every agent status is down or not, every goal status monitored or not', () => {
    expect(Object.values(AgentStatus).filter(isAgentDown)).toEqual([
      'error',
      'offline',
      'terminated',
    ]);
    expect(Object.values(GoalStatus).filter((s) => !isMonitored(s))).toEqual(['paused']);
  });
});
