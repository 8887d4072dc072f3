import type { ObjectLiteral, Repository } from 'typeorm';
import type { PageRequest } from '../../core/pagination.js';

/**
 * Baseline only: turns a keyset cursor into the OFFSET a first version would
 * use (by counting the rows before it), so both modes accept the same cursors
 * and return the same pages, while the baseline pays for OFFSET.
 */
export async function baselineOffset<T extends ObjectLiteral>(
  repository: Repository<T>,
  scope: { column: string; value: string },
  page: PageRequest,
): Promise<number> {
  if (!page.after) return 0;
  return repository
    .createQueryBuilder('r')
    .where(`r.${scope.column} = :scope`, { scope: scope.value })
    .andWhere('(r.created_at, r.id) >= (:afterCreatedAt, :afterId)', {
      afterCreatedAt: page.after.createdAt,
      afterId: page.after.id,
    })
    .getCount();
}
