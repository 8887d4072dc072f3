import { type Page, type Queryable, toPage } from '../../ceiling/page.js';

/**
 * The SQL ceiling of the agent list: the statements the optimized API sends on
 * a cache miss, without Nest, TypeORM, auth or accounting. Mirrors
 * apps/api/src/modules/agents/agents.repository.ts (`listPage`, then
 * `settingsFor`: the page, then one IN-list for every agent's settings) and
 * agents.mapper.ts (`toAgent`: field order, settings sorted by key). The
 * harness compares this answer with the API's at start and stops if they
 * differ, so the mirror cannot drift silently.
 */

interface AgentRow {
  id: string;
  workspace_id: string;
  name: string;
  role: string;
  model: string;
  status: string;
  created_at: Date;
  updated_at: Date;
}

export async function agentsPage(
  db: Queryable,
  workspaceId: string,
  limit: number,
): Promise<{ page: Page<unknown>; statements: number }> {
  const { rows } = await db.query<AgentRow>(
    `SELECT a.id, a.workspace_id, a.name, a.role, a.model, a.status, a.created_at, a.updated_at
       FROM agents a
      WHERE a.workspace_id = $1
      ORDER BY a.created_at DESC, a.id DESC
      LIMIT $2`,
    [workspaceId, limit + 1],
  );
  const ids = rows.slice(0, limit).map((r) => r.id);
  const settings = new Map<string, Record<string, string>>(ids.map((id) => [id, {}]));
  let statements = 1;
  if (ids.length > 0) {
    statements += 1;
    const placeholders = ids.map((_, i) => `$${i + 1}`).join(', ');
    const found = await db.query<{ agent_id: string; key: string; value: string }>(
      `SELECT s.agent_id, s.key, s.value FROM agent_settings s WHERE s.agent_id IN (${placeholders})`,
      ids,
    );
    for (const row of found.rows) {
      const of = settings.get(row.agent_id);
      if (of) of[row.key] = row.value;
    }
  }
  const page = toPage(rows, limit, (a) => ({
    id: a.id,
    workspaceId: a.workspace_id,
    name: a.name,
    role: a.role,
    model: a.model,
    status: a.status,
    settings: Object.fromEntries(
      Object.entries(settings.get(a.id) ?? {}).sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0)),
    ),
    createdAt: a.created_at.toISOString(),
    updatedAt: a.updated_at.toISOString(),
  }));
  return { page, statements };
}
