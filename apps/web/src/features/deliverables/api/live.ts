import type { InfiniteData } from '@tanstack/react-query';

import type { Deliverable, DeliverableListResponse, DisplayedDeliverable } from '@orch/contracts';

import { findInPages, patchQueries, upsertInPages } from '../../../lib/cache';
import type { LiveContext } from '../../../lib/live-events';
import { deliverableKeys } from './keys';

type DeliverablePages = InfiniteData<DeliverableListResponse>;

function isDisplayed(deliverable: Deliverable): deliverable is DisplayedDeliverable {
  return 'displayStatus' in deliverable;
}

/**
 * The display form to show for `next`: its own when it carries one (a mutation's answer),
 * else the cached one while the markdown is unchanged (a title edit), else pending: the
 * list shows the markdown until the next poll brings the transformed content (the push
 * carries only the deliverable, and reads, not writes, run the transformation).
 */
export function toDisplayed(
  next: Deliverable,
  current: DisplayedDeliverable | undefined,
): DisplayedDeliverable {
  if (isDisplayed(next)) return next;
  if (current && current.contentHash === next.contentHash) {
    return {
      ...next,
      displayContent: current.displayContent,
      displayStatus: current.displayStatus,
    };
  }
  return { ...next, displayContent: null, displayStatus: 'pending' };
}

/** `deliverable.created` / `deliverable.updated`: inserted first, or replaced in place. */
export function withDeliverable(
  data: DeliverablePages,
  deliverable: Deliverable,
): DeliverablePages {
  const current = findInPages<DisplayedDeliverable, DeliverableListResponse>(data, deliverable.id);
  return upsertInPages<DisplayedDeliverable, DeliverableListResponse>(
    data,
    toDisplayed(deliverable, current),
  );
}

export function applyDeliverable(
  { queryClient, workspaceId }: LiveContext,
  deliverable: Deliverable,
) {
  if (deliverable.workspaceId !== workspaceId) return;
  patchQueries<DeliverablePages>(queryClient, deliverableKeys.lists(workspaceId), (data) =>
    withDeliverable(data, deliverable),
  );
}
