import type { InfiniteData, QueryClient, QueryKey } from '@tanstack/react-query';

/**
 * Applies `update` to the data of every loaded query under `queryKey`, keeping each query's
 * `dataUpdatedAt`: a cache patch from a push or a mutation is not a fetch, so the 30 s poll
 * (lib/polling.ts) stays due 30 s after the last real fetch. Queries without data are left
 * alone (nothing to patch; their first fetch brings the change). `update` returns its input
 * unchanged to mean "nothing to do".
 */
export function patchQueries<T>(
  queryClient: QueryClient,
  queryKey: QueryKey,
  update: (data: T) => T,
): void {
  for (const [key, data] of queryClient.getQueriesData<T>({ queryKey })) {
    if (data === undefined) continue;
    const next = update(data);
    if (next === data) continue;
    queryClient.setQueryData<T>(key, next, {
      updatedAt: queryClient.getQueryState(key)?.dataUpdatedAt,
    });
  }
}

interface Identified {
  id: string;
}

interface ItemPage<T> {
  items: T[];
}

/** Whether `next` is at least as new as `current` (ISO timestamps compare as strings). */
export function isNotOlder(next: { updatedAt: string }, current: { updatedAt: string }): boolean {
  return next.updatedAt >= current.updatedAt;
}

/** Replaces the item with `item.id` wherever it is; the same object if absent or unchanged. */
export function replaceInPages<T extends Identified, P extends ItemPage<T>>(
  data: InfiniteData<P>,
  id: string,
  replace: (current: T) => T,
): InfiniteData<P> {
  let changed = false;
  const pages = data.pages.map((page) => {
    const index = page.items.findIndex((item) => item.id === id);
    if (index < 0) return page;
    const current = page.items[index];
    const next = replace(current);
    if (next === current) return page;
    changed = true;
    const items = page.items.slice();
    items[index] = next;
    return { ...page, items };
  });
  return changed ? { ...data, pages } : data;
}

export function findInPages<T extends Identified, P extends ItemPage<T>>(
  data: InfiniteData<P>,
  id: string,
): T | undefined {
  for (const page of data.pages) {
    const found = page.items.find((item) => item.id === id);
    if (found) return found;
  }
  return undefined;
}

/** Puts a new item first on the first page (lists are newest first). */
export function prependToPages<T, P extends ItemPage<T>>(
  data: InfiniteData<P>,
  item: T,
): InfiniteData<P> {
  const [first, ...rest] = data.pages;
  if (!first) return data;
  return { ...data, pages: [{ ...first, items: [item, ...first.items] }, ...rest] };
}

/**
 * Inserts or replaces `item` in a newest-first paginated list: replaced in place when
 * present and `item` is not older than the cached one (an event can overtake a mutation's
 * answer, or the other way round), else put first.
 */
export function upsertInPages<T extends Identified & { updatedAt: string }, P extends ItemPage<T>>(
  data: InfiniteData<P>,
  item: T,
  merge: (current: T, next: T) => T = (_current, next) => next,
): InfiniteData<P> {
  if (findInPages<T, P>(data, item.id)) {
    return replaceInPages<T, P>(data, item.id, (current) =>
      isNotOlder(item, current) ? merge(current, item) : current,
    );
  }
  return prependToPages<T, P>(data, item);
}
