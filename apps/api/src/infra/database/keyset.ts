import type { ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import type { PageRequest } from '../../core/pagination.js';

/**
 * Newest first, keyed on (created_at, id): the composite index
 * (<scope>, created_at, id) turns every page into one index range scan,
 * whatever the page number, unlike OFFSET which reads and drops every earlier row.
 * Fetches one row more than asked so the caller knows whether a next page exists.
 */
export function newestFirstPage<T extends ObjectLiteral>(
  qb: SelectQueryBuilder<T>,
  alias: string,
  page: PageRequest,
): SelectQueryBuilder<T> {
  if (page.after) {
    qb.andWhere(`(${alias}.created_at, ${alias}.id) < (:afterCreatedAt, :afterId)`, {
      afterCreatedAt: page.after.createdAt,
      afterId: page.after.id,
    });
  }
  return qb
    .orderBy(`${alias}.createdAt`, 'DESC')
    .addOrderBy(`${alias}.id`, 'DESC')
    .limit(page.limit + 1);
}

/** The same, oldest first: for a process's steps, which read top to bottom. */
export function oldestFirstPage<T extends ObjectLiteral>(
  qb: SelectQueryBuilder<T>,
  alias: string,
  page: PageRequest,
): SelectQueryBuilder<T> {
  if (page.after) {
    qb.andWhere(`(${alias}.created_at, ${alias}.id) > (:afterCreatedAt, :afterId)`, {
      afterCreatedAt: page.after.createdAt,
      afterId: page.after.id,
    });
  }
  return qb
    .orderBy(`${alias}.createdAt`, 'ASC')
    .addOrderBy(`${alias}.id`, 'ASC')
    .limit(page.limit + 1);
}
