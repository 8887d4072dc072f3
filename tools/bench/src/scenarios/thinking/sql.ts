import { type Page, type Queryable, toPageByIso } from '../../ceiling/page.js';

/**
 * The SQL ceiling of the thinking list: the two statements of the optimized
 * path, without Nest, TypeORM, auth or accounting. Mirrors
 * apps/api/src/modules/thinking/thinking.repository.ts (`listRecentProcesses`
 * newest first on (created_at, id), then `latestStepsOf`: one LATERAL top-N for
 * every process) and thinking.mapper.ts (field order). The harness compares
 * this answer with the API's at start and stops if they differ.
 */

/** As the API returns them: already in the contract's shape, timestamps as ISO 8601 text. */
interface ProcessRow {
  id: string;
  workspaceId: string;
  agentId: string;
  title: string;
  status: string;
  createdAt: string;
  updatedAt: string;
}

interface StepRow {
  id: string;
  processId: string;
  kind: string;
  content: string;
  createdAt: string;
}

const iso = (column: string) =>
  `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

export async function thinkingPage(
  db: Queryable,
  workspaceId: string,
  processes: number,
  stepsEach: number,
): Promise<{ page: Page<unknown>; statements: number }> {
  const { rows } = await db.query<ProcessRow>(
    `SELECT p.id, p.workspace_id AS "workspaceId", p.agent_id AS "agentId", p.title, p.status,
            ${iso('p.created_at')} AS "createdAt", ${iso('p.updated_at')} AS "updatedAt"
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
      `SELECT s.id, s.process_id AS "processId", s.kind, s.content, ${iso('s.created_at')} AS "createdAt"
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
    for (const row of found.rows) steps.get(row.processId)?.push(row);
  }
  const page = toPageByIso(rows, processes, (p) => ({
    ...p,
    steps: (steps.get(p.id) ?? []).reverse(),
  }));
  return { page, statements };
}
