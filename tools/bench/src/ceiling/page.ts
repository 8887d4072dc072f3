/**
 * The page envelope of the API's lists, mirrored for the SQL ceiling: rows are
 * fetched `limit + 1`, the extra one only says a next page exists, and the
 * cursor is the last row's (created_at, id), base64url-encoded.
 * Mirrors apps/api/src/infra/http/pagination.ts (toPage, encodeCursor).
 */
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export function toPage<Row extends { created_at: Date; id: string }, Item>(
  rows: Row[],
  limit: number,
  map: (row: Row) => Item,
): Page<Item> {
  const hasMore = rows.length > limit;
  const pageRows = hasMore ? rows.slice(0, limit) : rows;
  const last = pageRows[pageRows.length - 1];
  return {
    items: pageRows.map(map),
    nextCursor:
      hasMore && last
        ? Buffer.from(`${last.created_at.toISOString()}|${last.id}`, 'utf8').toString('base64url')
        : null,
  };
}

/** `toPage` for rows in the contract's shape, `createdAt` already ISO 8601 text. */
export function toPageByIso<Row extends { createdAt: string; id: string }, Item>(
  rows: Row[],
  limit: number,
  map: (row: Row) => Item,
): Page<Item> {
  const hasMore = rows.length > limit;
  const pageRows = hasMore ? rows.slice(0, limit) : rows;
  const last = pageRows[pageRows.length - 1];
  return {
    items: pageRows.map(map),
    nextCursor:
      hasMore && last
        ? Buffer.from(`${last.createdAt}|${last.id}`, 'utf8').toString('base64url')
        : null,
  };
}

/** What the SQL ceiling needs of a database: pg.Pool's `query`. */
export interface Queryable {
  query<R>(sql: string, params: unknown[]): Promise<{ rows: R[] }>;
}
