import type { QuotaNotification, QuotaNotifications, QuotaStatus } from '@orch/contracts';

import { patchQueries } from '../../../lib/cache';
import type { LiveContext } from '../../../lib/live-events';
import { quotaKeys } from './keys';

const same = (a: QuotaNotification, b: QuotaNotification) =>
  a.day === b.day && a.threshold === b.threshold;

/** A threshold crossing goes first (newest first), once. */
export function withNotification(
  data: QuotaNotifications,
  notification: QuotaNotification,
): QuotaNotifications {
  if (data.items.some((item) => same(item, notification))) return data;
  return { ...data, items: [notification, ...data.items] };
}

/** The crossing says how much was used: the status never shows less than that. */
export function withUsageAtLeast(
  status: QuotaStatus,
  notification: QuotaNotification,
): QuotaStatus {
  if (notification.used <= status.used) return status;
  return {
    ...status,
    used: notification.used,
    limit: notification.limit,
    remaining: Math.max(0, notification.limit - notification.used),
  };
}

export function applyQuotaNotification(
  { queryClient, workspaceId }: LiveContext,
  notification: QuotaNotification,
) {
  if (notification.workspaceId !== workspaceId) return;
  patchQueries<QuotaNotifications>(queryClient, quotaKeys.notifications(workspaceId), (data) =>
    withNotification(data, notification),
  );
  patchQueries<QuotaStatus>(queryClient, quotaKeys.status(workspaceId), (status) =>
    withUsageAtLeast(status, notification),
  );
}
