import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { WorkspaceRole } from '@orch/contracts';
import type { DataSource } from 'typeorm';
import type { ScopedResource } from '../auth/access.decorators.js';

/** The table that holds each scoped resource, and so its workspace_id. */
const RESOURCE_TABLE: Record<Exclude<ScopedResource, 'workspace'>, string> = {
  agent: 'agents',
  deliverable: 'deliverables',
  thinkingProcess: 'thinking_processes',
  goal: 'goals',
};

/**
 * The access check, in one round trip whatever the resource: the record's
 * workspace joined to the caller's membership row (primary-key lookups both).
 */
@Injectable()
export class MembershipRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async findAccess(
    resource: ScopedResource,
    id: string,
    userId: string,
  ): Promise<{ workspaceId: string; role: WorkspaceRole } | null> {
    const sql =
      resource === 'workspace'
        ? `SELECT m.workspace_id, m.role FROM workspace_members m
            WHERE m.workspace_id = $1 AND m.user_id = $2`
        : `SELECT m.workspace_id, m.role FROM ${RESOURCE_TABLE[resource]} r
             JOIN workspace_members m ON m.workspace_id = r.workspace_id AND m.user_id = $2
            WHERE r.id = $1`;
    const rows = await this.db.query<{ workspace_id: string; role: WorkspaceRole }[]>(sql, [
      id,
      userId,
    ]);
    return rows.length > 0 ? { workspaceId: rows[0].workspace_id, role: rows[0].role } : null;
  }
}
