import { Injectable } from '@nestjs/common';
import {
  QUOTA_THRESHOLDS,
  type QuotaCheck,
  type QuotaNotification,
  type QuotaNotifications,
  type QuotaStatus,
  type QuotaThreshold,
  type QuotaUsage,
} from '@orch/contracts';
import { CacheService } from '../../infra/cache/cache.service.js';
import { quotaStatusCache } from './quota.cache.js';
import { AppConfig } from '../../infra/config/app-config.js';
import { DomainEvents } from '../../infra/events/domain-events.js';
import { type NotificationRow, QuotaRepository } from './quota.repository.js';
import { type Awaitable } from '../../core/awaitable.js';

const HISTORY_DAYS = 30;

/**
 * The per-workspace daily AI-call quota: usage is recorded by whoever calls a
 * provider; crossing 80% and 100% is recorded once a day and announced.
 */
@Injectable()
export class QuotaService {
  constructor(
    private readonly quota: QuotaRepository,
    private readonly config: AppConfig,
    private readonly events: DomainEvents,
    private readonly cache: CacheService,
  ) {}

  get dailyLimit(): number {
    return this.config.aiDailyQuota;
  }

  /**
   * Takes one AI call from the workspace's quota before it is made; false when
   * none is left. Crossing 80% and 100% is recorded once a day and announced.
   */
  async reserveAiCall(workspaceId: string): Promise<boolean> {
    const used = await this.quota.reserveCall(workspaceId, this.dailyLimit);
    if (used === null) return false;
    await this.events.publish({ type: 'quota.used', workspaceId });
    for (const threshold of QUOTA_THRESHOLDS) {
      if (used === Math.ceil((this.dailyLimit * threshold) / 100)) {
        const row = await this.quota.insertNotification(
          workspaceId,
          threshold,
          used,
          this.dailyLimit,
        );
        if (row) {
          await this.events.publish({
            type: 'quota.notification',
            workspaceId,
            payload: { notification: toNotification(row) },
          });
        }
      }
    }
    return true;
  }

  /** Cached briefly, and dropped whenever a call is reserved. */
  status(workspaceId: string): Awaitable<QuotaStatus> {
    return this.cache.get(quotaStatusCache, workspaceId, () => this.loadStatus(workspaceId));
  }

  private async loadStatus(workspaceId: string): Promise<QuotaStatus> {
    const used = await this.quota.callsToday(workspaceId);
    return {
      workspaceId,
      used,
      limit: this.dailyLimit,
      remaining: Math.max(0, this.dailyLimit - used),
      resetsAt: nextUtcMidnight().toISOString(),
    };
  }

  /** May a call go ahead now: what the display-content transformer asks before every call. */
  async check(workspaceId: string): Promise<QuotaCheck> {
    const { used, limit, remaining } = await this.status(workspaceId);
    const allowed = used < limit;
    return {
      workspaceId,
      allowed,
      used,
      limit,
      remaining,
      reason: allowed ? null : 'daily_quota_exhausted',
    };
  }

  async usage(workspaceId: string): Promise<QuotaUsage> {
    const days = await this.quota.dailyUsage(workspaceId, HISTORY_DAYS);
    return { workspaceId, days, total: days.reduce((sum, d) => sum + d.calls, 0) };
  }

  async notifications(workspaceId: string): Promise<QuotaNotifications> {
    const rows = await this.quota.listNotifications(workspaceId, HISTORY_DAYS);
    return { items: rows.map(toNotification) };
  }
}

function toNotification(row: NotificationRow): QuotaNotification {
  return {
    workspaceId: row.workspace_id,
    day: row.day,
    threshold: row.threshold as QuotaThreshold,
    used: row.used,
    limit: row.quota,
    createdAt: row.created_at.toISOString(),
  };
}

function nextUtcMidnight(): Date {
  const now = new Date();
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1));
}
