import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import {
  DASHBOARD_RECENT_DELIVERABLES,
  type AgentSettings,
  type AgentStatus,
  type DashboardCounts,
} from '@orch/contracts';
import type { DataSource } from 'typeorm';
import type { DashboardReader } from './dashboard-reader.js';
import { AgentEntity } from '../agents/entities/agent.entity.js';
import { DeliverableEntity } from '../deliverables/entities/deliverable.entity.js';
import { GoalEntity } from '../goals/entities/goal.entity.js';
import { WorkspaceEntity } from '../workspaces/entities/workspace.entity.js';

export interface DashboardRows {
  workspace: WorkspaceEntity;
  counts: DashboardCounts;
  /** Over every agent of the workspace, not just the ones listed. */
  statusCounts: Partial<Record<AgentStatus, number>>;
  agents: { agent: AgentEntity; settings: AgentSettings }[];
  recentDeliverables: DeliverableEntity[];
  goals: GoalEntity[];
}

/** Upper bound on agents shown on one dashboard; the agents list pages beyond it. */
export const DASHBOARD_MAX_AGENTS = 500;

type Json = Record<string, unknown>;

/**
 * The dashboard read model: a cross-table read of one workspace, in three
 * round trips whatever the sizes. It reads several modules' tables on purpose
 * (a read model, like a view); every write still goes through the owning module.
 */
@Injectable()
export class DashboardRepository implements DashboardReader {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async load(workspaceId: string): Promise<DashboardRows | null> {
    const [head, agents, lists] = await Promise.all([
      this.db.query<Json[]>(
        `SELECT w.*,
                (SELECT count(*) FROM agents a WHERE a.workspace_id = w.id)::int AS agents_count,
                (SELECT count(*) FROM deliverables d WHERE d.workspace_id = w.id)::int AS deliverables_count,
                (SELECT count(*) FROM thinking_processes p WHERE p.workspace_id = w.id)::int AS processes_count,
                (SELECT count(*) FROM goals g WHERE g.workspace_id = w.id)::int AS goals_count,
                (SELECT COALESCE(jsonb_object_agg(s.status, s.n), '{}'::jsonb)
                   FROM (SELECT a.status, count(*)::int AS n FROM agents a
                          WHERE a.workspace_id = w.id GROUP BY a.status) s) AS status_counts
           FROM workspaces w WHERE w.id = $1`,
        [workspaceId],
      ),
      this.db.query<Json[]>(
        `SELECT a.*,
                COALESCE((SELECT jsonb_object_agg(s.key, s.value) FROM agent_settings s WHERE s.agent_id = a.id),
                         '{}'::jsonb) AS settings
           FROM agents a
          WHERE a.workspace_id = $1
          ORDER BY a.created_at DESC, a.id DESC
          LIMIT $2`,
        [workspaceId, DASHBOARD_MAX_AGENTS],
      ),
      this.db.query<{ deliverables: Json[]; goals: Json[] }[]>(
        `SELECT
           COALESCE((SELECT jsonb_agg(d ORDER BY d.created_at DESC, d.id DESC) FROM (
              SELECT id, workspace_id, agent_id, title, content, content_hash, created_at, updated_at
                FROM deliverables WHERE workspace_id = $1
               ORDER BY created_at DESC, id DESC LIMIT $2) d), '[]'::jsonb) AS deliverables,
           COALESCE((SELECT jsonb_agg(g ORDER BY g.created_at DESC, g.id DESC) FROM (
              SELECT * FROM goals WHERE workspace_id = $1) g), '[]'::jsonb) AS goals`,
        [workspaceId, DASHBOARD_RECENT_DELIVERABLES],
      ),
    ]);
    const w = head[0];
    if (!w) return null;
    return {
      workspace: Object.assign(new WorkspaceEntity(), {
        id: w.id,
        name: w.name,
        description: w.description,
        ownerId: w.owner_id,
        createdAt: date(w.created_at),
        updatedAt: date(w.updated_at),
      }),
      statusCounts: w.status_counts as Partial<Record<AgentStatus, number>>,
      counts: {
        agents: w.agents_count as number,
        deliverables: w.deliverables_count as number,
        thinkingProcesses: w.processes_count as number,
        goals: w.goals_count as number,
      },
      agents: agents.map((a) => ({
        agent: Object.assign(new AgentEntity(), {
          id: a.id,
          workspaceId: a.workspace_id,
          name: a.name,
          role: a.role,
          model: a.model,
          status: a.status,
          createdAt: date(a.created_at),
          updatedAt: date(a.updated_at),
        }),
        settings: a.settings as AgentSettings,
      })),
      recentDeliverables: (lists[0]?.deliverables ?? []).map((d) =>
        Object.assign(new DeliverableEntity(), {
          id: d.id,
          workspaceId: d.workspace_id,
          agentId: d.agent_id ?? null,
          title: d.title,
          content: d.content,
          contentHash: d.content_hash,
          createdAt: date(d.created_at),
          updatedAt: date(d.updated_at),
        }),
      ),
      goals: (lists[0]?.goals ?? []).map((g) =>
        Object.assign(new GoalEntity(), {
          id: g.id,
          workspaceId: g.workspace_id,
          title: g.title,
          description: g.description ?? null,
          status: g.status,
          progress: g.progress,
          statusReason: g.status_reason ?? null,
          agentIds: g.agent_ids,
          targetDeliverables: g.target_deliverables ?? null,
          windowHours: g.window_hours,
          lastCheckedAt: g.last_checked_at ? date(g.last_checked_at) : null,
          nextCheckAt: g.next_check_at ? date(g.next_check_at) : null,
          createdAt: date(g.created_at),
          updatedAt: date(g.updated_at),
        }),
      ),
    };
  }
}

/** pg returns Date for timestamptz columns, JSON returns text: both become Date. */
function date(value: unknown): Date {
  return value instanceof Date ? value : new Date(String(value));
}
