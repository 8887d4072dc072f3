import type { QueryRunner } from 'typeorm';
import type { PlannedSetting } from '../planning/agent-settings.js';
import { affected } from './statement.js';

export async function writeAgentSettings(
  q: QueryRunner,
  settings: readonly PlannedSetting[],
): Promise<number> {
  if (settings.length === 0) return 0;
  return affected(
    q,
    `INSERT INTO agent_settings (agent_id, key, value, updated_at)
     SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::timestamptz[])`,
    [
      settings.map((s) => s.agentId),
      settings.map((s) => s.key),
      settings.map((s) => s.value),
      settings.map((s) => s.updatedAt.toISOString()),
    ],
  );
}
