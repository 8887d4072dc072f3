import { Injectable, Logger } from '@nestjs/common';
import type { GoalCheckTrigger, GoalStatus } from '@orch/contracts';
import { AppConfig } from '../../../infra/config/app-config.js';
import { DomainEvents } from '../../../infra/events/domain-events.js';
import { Clock } from '../../../infra/time/clock.js';
import { toGoal } from '../goals.mapper.js';
import { CheckPolicy } from './check-policy.js';
import { evaluateWorkspace } from './goal-evaluator.js';
import { GoalMonitorMetrics } from './goal-monitor.metrics.js';
import { GoalMonitorRepository } from './goal-monitor.repository.js';

interface Checked {
  workspaceId: string;
  trigger: GoalCheckTrigger;
  /** From the first event that asked for this check to its start. */
  waitedMs: number | null;
  evaluated: number;
  /** The goals whose verdict changed, with their new status when that changed too. */
  changed: { id: string; newStatus: GoalStatus | null }[];
}

/**
 * One check of one workspace: claim the most overdue row, evaluate its goals,
 * store the verdicts and the next check time, commit; then announce each goal
 * that changed as `goal.updated`. The claim, the reads and the writes share one
 * transaction, so a check either happens whole, once, or (crash, error) not at
 * all and stays due.
 */
@Injectable()
export class GoalChecker {
  private readonly logger = new Logger('GoalMonitor');

  constructor(
    private readonly repository: GoalMonitorRepository,
    private readonly policy: CheckPolicy,
    private readonly metrics: GoalMonitorMetrics,
    private readonly events: DomainEvents,
    private readonly clock: Clock,
    private readonly config: AppConfig,
  ) {}

  /** Checks one due workspace; false when none was left to claim, or the check failed. */
  async checkOne(): Promise<boolean> {
    const now = this.clock.now();
    const claim: { workspaceId?: string } = {};
    let checked: Checked | null;
    try {
      checked = await this.repository.inCheck(async (tx): Promise<Checked | null> => {
        const due = await tx.claimDue(now);
        if (!due) return null;
        claim.workspaceId = due.workspaceId;
        const trigger: GoalCheckTrigger = due.requestedAt ? 'event' : 'schedule';
        const result = evaluateWorkspace(await tx.loadFacts(due.workspaceId), now);
        const changed = result.evaluations.filter((e) => e.changed);
        const intervalMs = this.policy.nextIntervalMs(due.intervalMs, changed.length > 0);
        // Another instance's request brought this check forward of a time this or another
        // instance was promised: a check still runs then, for the events let through until
        // then without a write (CheckRequests).
        const covered = due.coveredUntil?.getTime() ?? null;
        const owedAt = covered !== null && covered > now ? covered : null;
        const planned = this.policy.nextCheckAt(now, intervalMs, result.wakeAt);
        const nextCheckAt = owedAt === null ? planned : Math.min(planned, owedAt);
        await tx.saveVerdicts(result.evaluations, now, nextCheckAt);
        await tx.finish(due.workspaceId, {
          intervalMs,
          nextCheckAt,
          checkedAt: now,
          owedAt,
          watchedAgentIds: result.watchedAgentIds,
          downAgentIds: result.downAgentIds,
          stalled: result.stalled,
        });
        return {
          workspaceId: due.workspaceId,
          trigger,
          waitedMs: due.requestedAt ? now - due.requestedAt.getTime() : null,
          evaluated: result.evaluations.length,
          changed: changed.map((e) => ({
            id: e.goal.id,
            newStatus: e.verdict.status !== e.goal.status ? e.verdict.status : null,
          })),
        };
      });
    } catch (error) {
      this.metrics.checkFailed();
      this.logger.error(
        `check of workspace ${claim.workspaceId ?? '(none claimed)'} failed: ${String(error)}`,
      );
      if (claim.workspaceId) {
        await this.repository
          .retryAt(claim.workspaceId, now + this.config.goalMonitor.minIntervalMs)
          .catch((retryError: unknown) =>
            this.logger.error(`could not reschedule the failed check: ${String(retryError)}`),
          );
      }
      return false;
    }
    if (!checked) return false;
    if (checked.evaluated === 0) this.metrics.checkSkipped();
    else this.metrics.checkRan(checked.trigger);
    if (checked.waitedMs !== null) this.metrics.requestServed(checked.waitedMs);
    for (const { newStatus } of checked.changed)
      if (newStatus) this.metrics.statusChanged(newStatus);
    await this.announce(checked);
    return true;
  }

  /** After commit: every goal whose verdict changed, as the realtime contract's goal.updated. */
  private async announce(checked: Checked): Promise<void> {
    if (checked.changed.length === 0) return;
    const goals = await this.repository.findGoals(checked.changed.map((c) => c.id));
    for (const goal of goals) {
      await this.events.publish({
        type: 'goal.updated',
        workspaceId: checked.workspaceId,
        payload: { goal: toGoal(goal) },
      });
    }
  }
}
