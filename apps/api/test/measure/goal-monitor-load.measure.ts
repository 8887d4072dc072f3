import type { Agent, GoalMonitorStats, Workspace } from '@orch/contracts';
import { describe, expect, it } from 'vitest';
import { DomainEvents } from '../../src/infra/events/domain-events.js';
import { AgentsService } from '../../src/modules/agents/agents.service.js';
import { DeliverablesService } from '../../src/modules/deliverables/deliverables.service.js';
import { ThinkingService } from '../../src/modules/thinking/thinking.service.js';
import { factory } from '../support/factories.js';
import { monitorStats } from '../support/goal-monitor.js';
import { ManualClock } from '../support/manual-clock.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/**
 * Checks per hour for 100 idle and 100 busy workspaces, baseline (goal-monitor-backoff off)
 * against optimized, measured in the real app on a real PostgreSQL with the clock the test
 * moves: six simulated hours in each mode. Busy workspaces get a write about once a minute
 * (exponential gaps, the demo simulator's mix, seeded) through the same services the API's
 * handlers call, during the first hour; then they fall quiet too. The figures are exact and
 * the same on every run, so the test asserts them: docs/goal-monitor.md quotes this table.
 *
 *   npm run measure:goal-monitor   (about 3 minutes; not part of npm test)
 */

const HOUR = 3_600_000;
const IDLE = 100;
const BUSY = 100;
const HOURS = 6;
const BUSY_HOURS = 1;
const MEAN_WRITE_GAP_MS = 60_000;
const TARGET = 500;
/** The demo simulator's mix of the writes the monitor hears (demo-activity.service.ts). */
const MIX = [
  ['step', 45],
  ['status', 15],
  ['deliverable', 10],
  ['edit', 8],
] as const;
type WriteKind = (typeof MIX)[number][0];

/** A small seeded generator (mulberry32): the same writes at the same times on every run. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

interface BusyWorkspace {
  ws: Workspace;
  writer: Agent;
  other: Agent;
  processId: string;
  editableId: string;
  goalId: string;
  delivered: number;
  status: number;
}

interface Write {
  at: number;
  kind: WriteKind;
  target: BusyWorkspace;
}

interface Run {
  /** Checks in each simulated hour, per group. */
  perHour: { idle: number[]; busy: number[] };
  /** From each new deliverable to the goal.updated that counted it, seconds. */
  latency: { count: number; mean: number; max: number };
  writes: Record<WriteKind, number>;
  stats: GoalMonitorStats;
}

async function simulate(optimizations: string): Promise<Run> {
  const clock = new ManualClock();
  const t: TestApp = await startTestApp({
    env: { GOAL_MONITOR_ENABLED: 'true', OPTIMIZATIONS: optimizations, DB_POOL_MAX: '5' },
    clock,
  });
  try {
    const f = factory(t.api);
    const owner = await f.user();
    const idle: string[] = [];
    const busy: BusyWorkspace[] = [];
    for (let i = 0; i < IDLE + BUSY; i++) {
      const ws = await f.workspace(owner);
      const writer = await f.agent(owner, ws.id);
      const other = await f.agent(owner, ws.id);
      const goal = await f.goal(owner, ws.id, {
        agentIds: [writer.id, other.id],
        targetDeliverables: TARGET,
        windowHours: 168,
      });
      if (i < IDLE) {
        idle.push(ws.id);
        continue;
      }
      const process = await f.process(owner, ws.id, writer.id);
      const editable = await f.deliverable(owner, ws.id, { agentId: writer.id });
      busy.push({
        ws,
        writer,
        other,
        processId: process.id,
        editableId: editable.id,
        goalId: goal.id,
        delivered: 1,
        status: 0,
      });
    }
    // Settle: the goals' first checks (optimized), the first cycle's rows (baseline).
    await clock.advance(10_000);
    const t0 = clock.now();

    const counted = new Map<string, { at: number; delivered: number }[]>();
    t.app.get(DomainEvents).subscribe((event) => {
      if (event.type !== 'goal.updated' || !event.payload.goal.statusReason) return;
      const match = /^(\d+) of /.exec(event.payload.goal.statusReason);
      if (!match) return;
      const list = counted.get(event.payload.goal.id) ?? [];
      list.push({ at: clock.now(), delivered: Number(match[1]) });
      counted.set(event.payload.goal.id, list);
    });

    const rng = random(20261201);
    const total = MIX.reduce((sum, [, weight]) => sum + weight, 0);
    const pick = (): WriteKind => {
      let roll = rng() * total;
      for (const [kind, weight] of MIX) {
        roll -= weight;
        if (roll < 0) return kind;
      }
      return MIX[0][0];
    };
    const writes: Write[] = [];
    for (const target of busy) {
      for (let at = t0 - Math.log(1 - rng()) * MEAN_WRITE_GAP_MS; at < t0 + BUSY_HOURS * HOUR;) {
        writes.push({ at: Math.round(at), kind: pick(), target });
        at -= Math.log(1 - rng()) * MEAN_WRITE_GAP_MS;
      }
    }
    writes.sort((x, y) => x.at - y.at);

    const agents = t.app.get(AgentsService);
    const deliverables = t.app.get(DeliverablesService);
    const thinking = t.app.get(ThinkingService);
    const deliveredAt: { goalId: string; at: number; delivered: number }[] = [];
    const done: Record<WriteKind, number> = { step: 0, status: 0, deliverable: 0, edit: 0 };
    const checks = async (ids: string[]) => {
      const rows = await t.db.query<{ n: number }[]>(
        `SELECT COALESCE(sum(checks), 0)::int AS n FROM goal_schedules WHERE workspace_id = ANY($1)`,
        [ids],
      );
      return rows[0].n;
    };
    const idleIds = idle;
    const busyIds = busy.map((b) => b.ws.id);
    const snapshots = [{ idle: await checks(idleIds), busy: await checks(busyIds) }];

    let next = 0;
    for (let hour = 1; hour <= HOURS; hour++) {
      const end = t0 + hour * HOUR;
      while (next < writes.length && writes[next].at <= end) {
        const { at, kind, target } = writes[next++];
        await clock.advanceTo(at);
        const ws = target.ws.id;
        switch (kind) {
          case 'step':
            await thinking.appendStep(ws, target.processId, {
              kind: 'observation',
              content: 'Competitor pricing page changed overnight.',
            });
            break;
          case 'status':
            target.status += 1;
            await agents.update(target.other.id, {
              status: (['busy', 'idle', 'active'] as const)[target.status % 3],
            });
            break;
          case 'deliverable':
            target.delivered += 1;
            await deliverables.create(ws, {
              title: `Note ${target.delivered}`,
              content: `# Note ${target.delivered}\n\nFindings.`,
              agentId: target.writer.id,
            });
            deliveredAt.push({ goalId: target.goalId, at, delivered: target.delivered });
            break;
          case 'edit':
            await deliverables.update(ws, target.editableId, {
              content: `# Revised at ${at}\n\nFigures re-checked.`,
            });
            break;
        }
        done[kind] += 1;
      }
      await clock.advanceTo(end);
      snapshots.push({ idle: await checks(idleIds), busy: await checks(busyIds) });
    }

    const waits = deliveredAt.map(({ goalId, at, delivered }) => {
      const seen = (counted.get(goalId) ?? []).find((u) => u.at >= at && u.delivered >= delivered);
      if (!seen) throw new Error(`deliverable ${delivered} of goal ${goalId} was never counted`);
      return (seen.at - at) / 1000;
    });
    return {
      perHour: {
        idle: snapshots.slice(1).map((s, i) => s.idle - snapshots[i].idle),
        busy: snapshots.slice(1).map((s, i) => s.busy - snapshots[i].busy),
      },
      latency: {
        count: waits.length,
        mean: Math.round((waits.reduce((a, b) => a + b, 0) / waits.length) * 10) / 10,
        max: Math.max(...waits),
      },
      writes: done,
      stats: await monitorStats(t.api, owner.token),
    };
  } finally {
    await t.close();
  }
}

describe('goal checks per hour: 100 idle and 100 busy workspaces, baseline against optimized', () => {
  it(
    'measures both on the manual clock',
    async () => {
      const baseline = await simulate('batching,workspace-cache,response-cache,display-cache');
      const optimized = await simulate('all');
      const rows = [
        `| hour | idle: baseline | idle: optimized | busy: baseline | busy: optimized |`,
        `| ---: | ---: | ---: | ---: | ---: |`,
        ...Array.from(
          { length: HOURS },
          (_, h) =>
            `| ${h + 1} | ${baseline.perHour.idle[h]} | ${optimized.perHour.idle[h]} | ${baseline.perHour.busy[h]} | ${optimized.perHour.busy[h]} |`,
        ),
      ];
      console.log(
        [
          ...rows,
          `writes in busy hour: ${JSON.stringify(optimized.writes)}`,
          `deliverable -> goal.updated, s: baseline ${JSON.stringify(baseline.latency)}, optimized ${JSON.stringify(optimized.latency)}`,
          `optimized events: ${JSON.stringify(optimized.stats.events)}, checks: ${JSON.stringify(optimized.stats.checks)}`,
          `baseline checks: ${JSON.stringify(baseline.stats.checks)}`,
        ].join('\n'),
      );

      // The baseline: every workspace three times an hour, whatever happens.
      expect(baseline.perHour).toEqual({
        idle: [300, 300, 300, 300, 300, 300],
        busy: [300, 300, 300, 300, 300, 300],
      });
      // Optimized, idle: 1, 3, 7, 15 and 31 minutes after the first check, then hourly. Busy:
      // each deliverable and edit checked 2 s later (or at the end of a 10 s cooldown), a few
      // backoff checks after each change; after the busy hour they back off like the idle ones.
      expect(optimized.perHour).toEqual({
        idle: [500, 100, 100, 100, 100, 100],
        busy: [2845, 311, 100, 100, 100, 100],
      });
      expect(optimized.writes).toEqual({ step: 3420, status: 1105, deliverable: 813, edit: 602 });
      expect(baseline.writes).toEqual(optimized.writes);
      // Steps and busy/idle flips cannot change these verdicts: no check for them.
      expect(optimized.stats.events).toEqual({
        received: 6440,
        coalesced: 153,
        ignored: 4879,
        requested: 1408,
      });
      expect(optimized.stats.checks).toEqual({
        run: { event: 1608, schedule: 3148 },
        skipped: 0,
        failed: 0,
      });
      expect(baseline.stats.checks).toEqual({
        run: { event: 0, schedule: 3800 },
        skipped: 0,
        failed: 0,
      });
      // From a new deliverable to the goal.updated that counts it.
      expect(optimized.latency).toEqual({ count: 813, mean: 2.3, max: 9.936 });
      expect(baseline.latency).toEqual({ count: 813, mean: 608.6, max: 1198.764 });
    },
    10 * 60_000,
  );
});
