import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';

@Injectable()
export class QuotaRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** Adds `calls` to today's (UTC) usage of the workspace: one upsert. */
  async addCalls(workspaceId: string, calls: number): Promise<void> {
    await this.db.query(
      `INSERT INTO ai_usage (workspace_id, day, calls) VALUES ($1, (now() AT TIME ZONE 'UTC')::date, $2)
       ON CONFLICT (workspace_id, day) DO UPDATE SET calls = ai_usage.calls + EXCLUDED.calls, updated_at = now()`,
      [workspaceId, calls],
    );
  }

  async callsToday(workspaceId: string): Promise<number> {
    const rows = await this.db.query<{ calls: number }[]>(
      `SELECT calls FROM ai_usage WHERE workspace_id = $1 AND day = (now() AT TIME ZONE 'UTC')::date`,
      [workspaceId],
    );
    return rows[0]?.calls ?? 0;
  }
}
