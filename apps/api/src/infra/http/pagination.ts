import { ApiPropertyOptional } from '@nestjs/swagger';
import { ErrorCode, PAGE_LIMIT_DEFAULT, PAGE_LIMIT_MAX, type Page } from '@orch/contracts';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { DomainException } from './domain.exception.js';

export class PageQueryDto {
  @ApiPropertyOptional({ minimum: 1, maximum: PAGE_LIMIT_MAX, default: PAGE_LIMIT_DEFAULT })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(PAGE_LIMIT_MAX)
  limit?: number;

  @ApiPropertyOptional({ description: 'Opaque cursor from the previous page' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  cursor?: string;
}

/**
 * A keyset position: the sort key (`created_at`, kept at millisecond precision
 * in the database so a JS Date holds it exactly) and the row id as tiebreaker,
 * so rows created in the same millisecond are neither skipped nor repeated.
 */
export interface Keyset {
  createdAt: Date;
  id: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export function encodeCursor(position: Keyset): string {
  return Buffer.from(`${position.createdAt.toISOString()}|${position.id}`, 'utf8').toString(
    'base64url',
  );
}

export function decodeCursor(cursor: string | undefined): Keyset | undefined {
  if (cursor === undefined) return undefined;
  const [iso, id, extra] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  const createdAt = new Date(iso ?? '');
  const year = createdAt.getUTCFullYear();
  if (
    extra !== undefined ||
    !id ||
    !UUID.test(id) ||
    Number.isNaN(year) ||
    year < 1970 ||
    year > 9999
  ) {
    throw new DomainException(ErrorCode.InvalidCursor, 'The cursor is not one this API issued');
  }
  return { createdAt, id };
}

export interface PageRequest {
  limit: number;
  after: Keyset | undefined;
}

export function pageRequest(query: PageQueryDto): PageRequest {
  return { limit: query.limit ?? PAGE_LIMIT_DEFAULT, after: decodeCursor(query.cursor) };
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
