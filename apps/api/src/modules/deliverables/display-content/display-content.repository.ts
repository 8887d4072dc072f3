import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DisplayContent } from '@orch/contracts';
import type { DataSource } from 'typeorm';
import { deliverableFromRow } from '../deliverables.repository.js';
import type { DeliverableEntity } from '../entities/deliverable.entity.js';

export interface ClaimOptions {
  /** The content the claimer read: no claim when it changed since. */
  contentHash: string;
  /** The running transform version: no claim when the stored result is current for it. */
  version: string;
  ttlMs: number;
  /** Claim even when the stored result is current (a regenerate). */
  force: boolean;
}

export interface StoredDisplay {
  contentHash: string;
  displayContent: DisplayContent | null;
  displayContentHash: string | null;
  transformVersion: string | null;
  claimed: boolean;
}

/**
 * The display-content columns of deliverables, and the row claim that keeps a
 * transformation to one API instance: a claim is a deadline in
 * display_claim_expires_at, so a crashed instance's claim simply runs out.
 */
@Injectable()
export class DisplayContentRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /**
   * Claims the row for `ttlMs` unless another live claim exists, the content
   * changed, or (unless `force`) the stored display content is already current:
   * then the caller reads the stored result instead of calling the provider.
   */
  async claim(id: string, { contentHash, version, ttlMs, force }: ClaimOptions): Promise<boolean> {
    const result: unknown = await this.db.query(
      `UPDATE deliverables
          SET display_claim_expires_at = now() + make_interval(secs => $3::double precision / 1000)
        WHERE id = $1 AND content_hash = $2
          AND (display_claim_expires_at IS NULL OR display_claim_expires_at < now())
          AND ($5 OR display_content IS NULL OR display_content_hash IS DISTINCT FROM $2
               OR transform_version IS DISTINCT FROM $4)
        RETURNING id`,
      [id, contentHash, ttlMs, version, force],
    );
    return updatedRows(result).length > 0;
  }

  /**
   * Stores the result and drops the claim; false (nothing stored) if the
   * content changed while it was being transformed: that result is stale.
   */
  async store(
    id: string,
    contentHash: string,
    version: string,
    display: DisplayContent,
  ): Promise<boolean> {
    const result: unknown = await this.db.query(
      `UPDATE deliverables
          SET display_content = $4::jsonb, display_content_hash = $2, transform_version = $3,
              transformed_at = now(), display_claim_expires_at = NULL
        WHERE id = $1 AND content_hash = $2
        RETURNING id`,
      [id, contentHash, version, JSON.stringify(display)],
    );
    return updatedRows(result).length > 0;
  }

  /**
   * As `store`, for the display queue: the stored row (to push), or null when the content
   * changed meanwhile.
   */
  async storeReturning(
    id: string,
    contentHash: string,
    version: string,
    display: DisplayContent,
  ): Promise<DeliverableEntity | null> {
    const result: unknown = await this.db.query(
      `UPDATE deliverables
          SET display_content = $4::jsonb, display_content_hash = $2, transform_version = $3,
              transformed_at = now()
        WHERE id = $1 AND content_hash = $2
        RETURNING *`,
      [id, contentHash, version, JSON.stringify(display)],
    );
    const row = updatedRows(result)[0] as Record<string, unknown> | undefined;
    return row ? deliverableFromRow(row) : null;
  }

  async release(id: string): Promise<void> {
    await this.db.query(`UPDATE deliverables SET display_claim_expires_at = NULL WHERE id = $1`, [
      id,
    ]);
  }

  async read(id: string): Promise<StoredDisplay | null> {
    const rows = await this.db.query<
      {
        content_hash: string;
        display_content: DisplayContent | null;
        display_content_hash: string | null;
        transform_version: string | null;
        claimed: boolean;
      }[]
    >(
      `SELECT content_hash, display_content, display_content_hash, transform_version,
              COALESCE(display_claim_expires_at > now(), false) AS claimed
         FROM deliverables WHERE id = $1`,
      [id],
    );
    const row = rows[0];
    if (!row) return null;
    return {
      contentHash: row.content_hash,
      displayContent: row.display_content,
      displayContentHash: row.display_content_hash,
      transformVersion: row.transform_version,
      claimed: row.claimed,
    };
  }
}

/**
 * TypeORM's Postgres driver answers a raw UPDATE with `[rows, affectedCount]`
 * (a SELECT or INSERT with plain rows): take the rows either way.
 */
export function updatedRows(result: unknown): unknown[] {
  if (
    Array.isArray(result) &&
    result.length === 2 &&
    Array.isArray(result[0]) &&
    typeof result[1] === 'number'
  ) {
    return result[0] as unknown[];
  }
  return Array.isArray(result) ? result : [];
}
