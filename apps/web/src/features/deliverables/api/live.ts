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
 * The display form to show for `next`: its own when it carries one (every push and
 * mutation answer of this server: the display queue's `deliverable.updated` brings the
 * transformed content), else the cached one while the markdown is unchanged, else pending
 * with no fallback (a server that sends the bare deliverable): the markdown is shown.
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
      fallbackHtml: current.fallbackHtml,
    };
  }
  return { ...next, displayContent: null, displayStatus: 'pending', fallbackHtml: null };
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
