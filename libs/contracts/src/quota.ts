/** AI calls a workspace may make per UTC day (AI_DAILY_QUOTA), and how much is left. */
export interface QuotaStatus {
  workspaceId: string;
  used: number;
  limit: number;
  remaining: number;
  /** The next UTC midnight. */
  resetsAt: string;
}

export interface QuotaCheck {
  workspaceId: string;
  /** May an AI call go ahead now. */
  allowed: boolean;
  used: number;
  limit: number;
  remaining: number;
  reason: 'daily_quota_exhausted' | null;
}

export interface QuotaUsageDay {
  /** YYYY-MM-DD, UTC. */
  day: string;
  calls: number;
}

export interface QuotaUsage {
  workspaceId: string;
  /** The last 30 days, oldest first, days without calls included. */
  days: QuotaUsageDay[];
  total: number;
}

export const QUOTA_THRESHOLDS = [80, 100] as const;
export type QuotaThreshold = (typeof QUOTA_THRESHOLDS)[number];

/** Usage passed `threshold` percent of the daily quota (also pushed as `quota.notification`). */
export interface QuotaNotification {
  workspaceId: string;
  day: string;
  threshold: QuotaThreshold;
  used: number;
  limit: number;
  createdAt: string;
}

export interface QuotaNotifications {
  items: QuotaNotification[];
}

export interface QuotaQuery {
  workspaceId: string;
}
