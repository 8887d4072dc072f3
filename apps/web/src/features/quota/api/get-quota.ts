import { queryOptions, useQuery } from '@tanstack/react-query';

import type { QuotaNotifications, QuotaStatus, QuotaUsage } from '@orch/contracts';

import { api } from '../../../lib/api-client';
import { livePolling } from '../../../lib/polling';
import { quotaKeys } from './keys';

/*
 * GET /api/quota/{status,usage,notifications}?workspaceId=. Each endpoint has its own rate
 * limit (20, 15 and 30 a minute per user); polling every 30 s uses 2 of them a minute.
 */

export function getQuotaStatus(workspaceId: string, signal?: AbortSignal) {
  return api.get<QuotaStatus>('/quota/status', { query: { workspaceId }, signal });
}

export function getQuotaUsage(workspaceId: string, signal?: AbortSignal) {
  return api.get<QuotaUsage>('/quota/usage', { query: { workspaceId }, signal });
}

export function getQuotaNotifications(workspaceId: string, signal?: AbortSignal) {
  return api.get<QuotaNotifications>('/quota/notifications', { query: { workspaceId }, signal });
}

/** Used, limit, remaining today: every AI call moves it, and no event says so, so it polls. */
export const quotaStatusQueryOptions = (workspaceId: string) =>
  queryOptions({
    queryKey: quotaKeys.status(workspaceId),
    queryFn: ({ signal }) => getQuotaStatus(workspaceId, signal),
    ...livePolling,
  });

/** Calls per day for 30 days: a history, refreshed every few minutes, not live. */
export const quotaUsageQueryOptions = (workspaceId: string) =>
  queryOptions({
    queryKey: quotaKeys.usage(workspaceId),
    queryFn: ({ signal }) => getQuotaUsage(workspaceId, signal),
    staleTime: 5 * 60_000,
  });

/** Threshold crossings (80 %, 100 %): pushed as `quota.notification`, polled as a backstop. */
export const quotaNotificationsQueryOptions = (workspaceId: string) =>
  queryOptions({
    queryKey: quotaKeys.notifications(workspaceId),
    queryFn: ({ signal }) => getQuotaNotifications(workspaceId, signal),
    ...livePolling,
  });

export function useQuotaStatus(workspaceId: string) {
  return useQuery(quotaStatusQueryOptions(workspaceId));
}

export function useQuotaUsage(workspaceId: string) {
  return useQuery(quotaUsageQueryOptions(workspaceId));
}

export function useQuotaNotifications(workspaceId: string) {
  return useQuery(quotaNotificationsQueryOptions(workspaceId));
}
