import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';

export interface NotificationRow {
  workspace_id: string;
  day: string;
  threshold: number;
  used: number;
  quota: number;
  created_at: Date;
}

const TODAY = `(now() AT TIME ZONE 'UTC')::date`;

@Injectable()
export class QuotaRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /**
   * Takes one call from today's (UTC) quota if any is left, in one atomic
   * upsert; the new total, or null when the quota is used up.
   */
  async reserveCall(workspaceId: string, limit: number): Promise<number | null> {
    const rows = await this.db.query<{ calls: number }[]>(
      `INSERT INTO ai_usage (workspace_id, day, calls) VALUES ($1, ${TODAY}, 1)
       ON CONFLICT (workspace_id, day)
       DO UPDATE SET calls = ai_usage.calls + 1, updated_at = now()
       WHERE ai_usage.calls < $2
       RETURNING calls`,
      [workspaceId, limit],
    );
    return rows[0]?.calls ?? null;
  }

  async callsToday(workspaceId: string): Promise<number> {
    const rows = await this.db.query<{ calls: number }[]>(
      `SELECT calls FROM ai_usage WHERE workspace_id = $1 AND day = ${TODAY}`,
      [workspaceId],
    );
    return rows[0]?.calls ?? 0;
  }

  /** The last `days` days, oldest first, zero-filled: one query. */
  async dailyUsage(workspaceId: string, days: number): Promise<{ day: string; calls: number }[]> {
    return this.db.query(
      `SELECT to_char(d.day, 'YYYY-MM-DD') AS day, COALESCE(u.calls, 0)::int AS calls
         FROM generate_series(${TODAY} - ($2::int - 1), ${TODAY}, interval '1 day') AS d(day)
         LEFT JOIN ai_usage u ON u.workspace_id = $1 AND u.day = d.day::date
        ORDER BY d.day`,
      [workspaceId, days],
    );
  }

  /** Records that usage passed `threshold`% today; null if it already was. */
  async insertNotification(
    workspaceId: string,
    threshold: number,
    used: number,
    quota: number,
  ): Promise<NotificationRow | null> {
    const rows = await this.db.query<NotificationRow[]>(
      `INSERT INTO quota_notifications (workspace_id, day, threshold, used, quota)
       VALUES ($1, ${TODAY}, $2, $3, $4)
       ON CONFLICT (workspace_id, day, threshold) DO NOTHING
       RETURNING workspace_id, to_char(day, 'YYYY-MM-DD') AS day, threshold, used, quota, created_at`,
      [workspaceId, threshold, used, quota],
    );
    return rows[0] ?? null;
  }

  listNotifications(workspaceId: string, days: number): Promise<NotificationRow[]> {
    return this.db.query(
      `SELECT workspace_id, to_char(day, 'YYYY-MM-DD') AS day, threshold, used, quota, created_at
         FROM quota_notifications
        WHERE workspace_id = $1 AND day > ${TODAY} - $2::int
        ORDER BY day DESC, threshold DESC`,
      [workspaceId, days],
    );
  }
}
