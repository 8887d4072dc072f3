import { type Page, type Queryable, toPage } from '../../ceiling/page.js';

/**
 * The SQL ceiling of the thinking list: the two statements of the optimized
 * path, without Nest, TypeORM, auth or accounting. Mirrors
 * apps/api/src/modules/thinking/thinking.repository.ts (`listRecentProcesses`
 * newest first on (created_at, id), then `latestStepsOf`: one LATERAL top-N for
 * every process) and thinking.mapper.ts (field order). The harness compares
 * this answer with the API's at start and stops if they differ.
 */

interface ProcessRow {
  id: string;
  workspace_id: string;
  agent_id: string;
  title: string;
  status: string;
  created_at: Date;
  updated_at: Date;
}

interface StepRow {
  id: string;
  process_id: string;
  kind: string;
  content: string;
  created_at: Date;
}

export async function thinkingPage(
  db: Queryable,
  workspaceId: string,
  processes: number,
  stepsEach: number,
): Promise<{ page: Page<unknown>; statements: number }> {
  const { rows } = await db.query<ProcessRow>(
    `SELECT p.id, p.workspace_id, p.agent_id, p.title, p.status, p.created_at, p.updated_at
       FROM thinking_processes p
      WHERE p.workspace_id = $1
      ORDER BY p.created_at DESC, p.id DESC
      LIMIT $2`,
    [workspaceId, processes + 1],
  );
  const ids = rows.slice(0, processes).map((p) => p.id);
  const steps = new Map<string, StepRow[]>(ids.map((id) => [id, []]));
  let statements = 1;
  if (ids.length > 0 && stepsEach > 0) {
    statements += 1;
    const found = await db.query<StepRow>(
      `SELECT s.id, s.process_id, s.kind, s.content, s.created_at
         FROM unnest($1::uuid[]) AS p(id)
         CROSS JOIN LATERAL (
           SELECT t.id, t.process_id, t.kind, t.content, t.created_at
             FROM thinking_steps t
            WHERE t.process_id = p.id
            ORDER BY t.created_at DESC, t.id DESC
            LIMIT $2
         ) s`,
      [ids, stepsEach],
    );
    for (const row of found.rows) steps.get(row.process_id)?.push(row);
  }
  const page = toPage(rows, processes, (p) => ({
    id: p.id,
    workspaceId: p.workspace_id,
    agentId: p.agent_id,
    title: p.title,
    status: p.status,
    createdAt: p.created_at.toISOString(),
    updatedAt: p.updated_at.toISOString(),
    steps: (steps.get(p.id) ?? []).reverse().map((s) => ({
      id: s.id,
      processId: s.process_id,
      kind: s.kind,
      content: s.content,
      createdAt: s.created_at.toISOString(),
    })),
  }));
  return { page, statements };
}
