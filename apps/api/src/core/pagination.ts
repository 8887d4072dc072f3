import { ErrorCode, isUuid, type Page } from '@orch/contracts';
import { DomainException } from './domain.exception.js';

/**
 * A keyset position: the sort key (`created_at`, kept at millisecond precision
 * in the database so a JS Date holds it exactly) and the row id as tiebreaker,
 * so rows created in the same millisecond are neither skipped nor repeated.
 */
export interface Keyset {
  createdAt: Date;
  id: string;
}

/** What a repository needs to read one page: how many rows, and after which position. */
export interface PageRequest {
  limit: number;
  after: Keyset | undefined;
}

/** The opaque cursor a client gets back: base64url of `<iso time>|<id>`. */
export function encodeCursor(position: Keyset): string {
  return encodeIsoCursor(position.createdAt.toISOString(), position.id);
}

function encodeIsoCursor(createdAt: string, id: string): string {
  return Buffer.from(`${createdAt}|${id}`, 'utf8').toString('base64url');
}

/** The position a cursor names; an INVALID_CURSOR error for anything this API did not issue. */
export function decodeCursor(cursor: string | undefined): Keyset | undefined {
  if (cursor === undefined) return undefined;
  const [iso, id, extra] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  const createdAt = new Date(iso ?? '');
  const year = createdAt.getUTCFullYear();
  if (extra !== undefined || !isUuid(id) || Number.isNaN(year) || year < 1970 || year > 9999) {
    throw new DomainException(ErrorCode.InvalidCursor, 'The cursor is not one this API issued');
  }
  return { createdAt, id };
}

/**
 * Repositories fetch `limit + 1` rows; the extra row only tells whether a next
 * page exists, and the cursor points at the last row returned.
 */
export function toPage<Row extends Keyset, Item>(
  rows: Row[],
  limit: number,
  map: (row: Row) => Item,
): Page<Item> {
  const hasMore = rows.length > limit;
  const pageRows = hasMore ? rows.slice(0, limit) : rows;
  const last = pageRows[pageRows.length - 1];
  return {
    items: pageRows.map(map),
    nextCursor: hasMore && last ? encodeCursor(last) : null,
  };
}

/**
 * `toPage` for rows already in the contract's shape, whose `createdAt` is the
 * ISO 8601 text (millisecond precision) rather than a Date: the same cursor.
 */
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
    nextCursor: hasMore && last ? encodeIsoCursor(last.createdAt, last.id) : null,
  };
}
