import { Injectable } from '@nestjs/common';
import { AppConfig } from '../../../infra/config/app-config.js';
import type { DomainEvent } from '../../../infra/events/domain-events.js';
import { Clock } from '../../../infra/time/clock.js';
import { CheckPolicy } from './check-policy.js';
import { CheckRunner } from './check-runner.js';
import { isAgentDown } from './goal-evaluator.js';
import { GoalMonitorMetrics } from './goal-monitor.metrics.js';
import { type CheckRelevance, GoalMonitorRepository } from './goal-monitor.repository.js';

/** How much a request remembered here may grow before the ones already served are dropped. */
const REMEMBERED_MAX = 10_000;

/** Which events the monitor reacts to, and what could make each one matter. */
export function relevanceOf(event: DomainEvent): CheckRelevance | null {
  switch (event.type) {
    case 'agent.updated': {
      const { agent } = event.payload;
      return { kind: 'agent', agentId: agent.id, down: isAgentDown(agent.status) };
    }
    case 'deliverable.created':
      return { kind: 'any' };
    case 'deliverable.updated':
      return event.displayOnly ? null : { kind: 'any' };
    case 'thinking.step':
      return { kind: 'step' };
    case 'workspace.updated':
    case 'workspace.deleted':
    case 'workspace.members_changed':
    case 'thinking.process_changed':
    case 'goal.updated':
    case 'quota.used':
    case 'quota.notification':
      return null;
  }
}

/**
 * Turns events into check requests, debounced. The first event of a workspace
 * writes the request into its schedule row (due GOAL_MONITOR_EVENT_DELAY_MS
 * later, and no sooner than GOAL_MONITOR_EVENT_COOLDOWN_MS after its previous
 * check) before the write that caused it is acknowledged; every later event
 * before that time is already covered by that check and costs nothing: a burst
 * of 100 is one UPDATE and one check. Because the request is in the database,
 * any instance runs it, also when this one dies right after.
 */
@Injectable()
export class CheckRequests {
  /** Workspace -> the time of the check already requested from here. */
  private readonly requested = new Map<string, number>();

  constructor(
    private readonly repository: GoalMonitorRepository,
    private readonly runner: CheckRunner,
    private readonly policy: CheckPolicy,
    private readonly metrics: GoalMonitorMetrics,
    private readonly clock: Clock,
    private readonly config: AppConfig,
  ) {}

  /** A DomainEvents handler: the publisher awaits it, so the request is stored before the reply. */
  async onEvent(event: DomainEvent): Promise<void> {
    const relevance = relevanceOf(event);
    if (!relevance) return;
    this.metrics.event('received');
    const now = this.clock.now();
    if (this.covered(event.workspaceId, now)) {
      this.metrics.event('coalesced');
      return;
    }
    const { eventDelayMs, eventCooldownMs } = this.config.goalMonitor;
    const due = await this.repository.request(
      event.workspaceId,
      relevance,
      now,
      now + eventDelayMs,
      eventCooldownMs,
    );
    if (due === null) {
      this.metrics.event('ignored');
      return;
    }
    this.metrics.event('requested');
    this.accepted(event.workspaceId, due, now);
  }

  /**
   * A goal was created or edited (GoalsService): the workspace is watched from
   * now on and checked within the event delay, cooldown or not.
   */
  async goalsChanged(workspaceId: string): Promise<void> {
    const now = this.clock.now();
    if (this.covered(workspaceId, now)) return;
    const due = await this.repository.requestForGoals(
      workspaceId,
      now,
      now + this.config.goalMonitor.eventDelayMs,
      this.policy.initialIntervalMs,
    );
    this.accepted(workspaceId, due, now);
  }

  /** A check requested from here has not started yet: it will read what this event wrote. */
  private covered(workspaceId: string, now: number): boolean {
    const due = this.requested.get(workspaceId);
    return due !== undefined && now < due;
  }

  private accepted(workspaceId: string, due: number, now: number): void {
    this.requested.set(workspaceId, due);
    if (this.requested.size > REMEMBERED_MAX) {
      for (const [id, at] of this.requested) if (at <= now) this.requested.delete(id);
    }
    this.runner.wake(due);
  }
}
