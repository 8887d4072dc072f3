import type { DataSource, QueryRunner } from 'typeorm';
import { PasswordHasher } from '../modules/auth/password-hasher.js';
import { buildDeliverable } from './markdown.js';
import {
  AGENT_MODELS,
  AGENT_NAMES,
  AGENT_ROLES,
  AGENT_STATUS_CYCLE,
  AGENT_TEAM,
  GOAL_TEMPLATES,
  SETTING_VALUES,
  TOPICS,
  WORKSPACE_DESCRIPTIONS,
  WORKSPACE_NAMES,
  type AgentProfile,
} from './pools.js';
import { fill, hash31, Rng, seedUuid } from './random.js';
import {
  buildInsertSteps,
  buildProcessTable,
  INSERT_PROCESSES,
  type ThinkingPlan,
} from './thinking-sql.js';

/** How much data to seed; every count is per parent row. */
export interface SeedScale {
  workspaces: number;
  agentsPerWorkspace: number;
  settingsPerAgent: number;
  deliverablesPerWorkspace: number;
  processesPerWorkspace: number;
  stepsPerProcess: number;
  goalsPerWorkspace: number;
}

/** The demo workspace seeded on first start. */
export const DEMO_SCALE: Readonly<SeedScale> = Object.freeze({
  workspaces: 1,
  agentsPerWorkspace: 8,
  settingsPerAgent: 4,
  deliverablesPerWorkspace: 24,
  processesPerWorkspace: 12,
  stepsPerProcess: 15,
  goalsPerWorkspace: 4,
});

export const DEMO_WORKSPACE_NAME = 'Acme Research Lab';

export const SEED_TABLES = [
  'workspaces',
  'workspace_members',
  'agents',
  'agent_settings',
  'deliverables',
  'thinking_processes',
  'thinking_steps',
  'goals',
] as const;
export type SeedTable = (typeof SEED_TABLES)[number];

export interface SeedTableReport {
  table: SeedTable;
  rows: number;
  /** Wall time of the table's statements, including generating its rows. */
  ms: number;
}

export interface SeedReport {
  seed: number;
  workspaceIds: string[];
  /** In insert order. */
  tables: SeedTableReport[];
  rows: number;
  commitMs: number;
  /** ANALYZE of the seeded tables after the commit, so the planner knows their new size. */
  analyzeMs: number;
  totalMs: number;
}

export interface SeedOptions {
  /** "Now" for the generated timestamps (default: the current time). Fix it for byte-identical runs. */
  anchor?: Date;
  /** ANALYZE the seeded tables after committing (default true). */
  analyze?: boolean;
}

export interface SeedUser {
  email: string;
  password: string;
  name: string;
}

export interface SeedDemoResult {
  created: boolean;
  userId: string;
  workspaceId: string | null;
}

/**
 * Creates the demo user and one workspace full of realistic data, in one
 * transaction. Idempotent: when a user with that email exists, nothing is
 * written (created: false). Call it after the migrations, under the bootstrap lock.
 */
export async function seedDemo(db: DataSource, user: SeedUser): Promise<SeedDemoResult> {
  const email = normaliseEmail(user.email);
  const existing = await findUserId(db, email);
  if (existing) return { created: false, userId: existing, workspaceId: null };

  // argon2 before the transaction: no locks held while hashing.
  const passwordHash = await new PasswordHasher().hash(user.password);
  return inTransaction(db, async (q) => {
    const inserted = (await q.query(
      `INSERT INTO users (email, name, password_hash) VALUES ($1, $2, $3)
       ON CONFLICT (email) DO NOTHING
       RETURNING id`,
      [email, user.name.trim(), passwordHash],
    )) as { id: string }[];
    if (inserted.length === 0) {
      // Another process created it between the check and the insert.
      const raced = await findUserId(q, email);
      if (!raced) throw new Error(`seedDemo: could not create or find the user ${email}`);
      return { created: false, userId: raced, workspaceId: null };
    }
    const userId = inserted[0].id;
    // Content is the same for every demo; ids hang off the new user's id, so
    // they can never collide with an earlier demo or a scale seed.
    const plan = planWorkspaces({
      idNamespace: `demo:${userId}`,
      contentNamespace: 'demo',
      ownerId: userId,
      anchor: new Date(),
      scale: DEMO_SCALE,
      names: [DEMO_WORKSPACE_NAME],
    });
    await insertWorkspaceData(q, plan, () => undefined);
    return { created: true, userId, workspaceId: plan.workspaces[0].id };
  });
}

/**
 * Seeds `scale.workspaces` workspaces owned by `ownerId`, with everything in
 * them, in one transaction; returns rows and milliseconds per table. The same
 * seed (and anchor) produces the same ids and text. The workspace ids follow
 * from the seed, so seeding the same seed into one database twice is refused.
 */
export async function seedScale(
  db: DataSource,
  ownerId: string,
  scale: SeedScale,
  seed = 1,
  options: SeedOptions = {},
): Promise<SeedReport> {
  validateScale(scale);
  if (!Number.isSafeInteger(seed)) throw new RangeError(`seed must be an integer (got ${seed})`);
  const started = performance.now();

  const owner = (await db.query(`SELECT id FROM users WHERE id = $1`, [ownerId])) as unknown[];
  if (owner.length === 0) throw new Error(`seedScale: no user with id ${ownerId}`);

  const namespace = `seed:${seed}`;
  const plan = planWorkspaces({
    idNamespace: namespace,
    contentNamespace: namespace,
    ownerId,
    anchor: options.anchor ?? new Date(),
    scale,
    names: [],
  });
  const workspaceIds = plan.workspaces.map((w) => w.id);
  const taken = (await db.query(`SELECT id FROM workspaces WHERE id = ANY($1::uuid[]) LIMIT 1`, [
    workspaceIds,
  ])) as { id: string }[];
  if (taken.length > 0) {
    throw new Error(
      `Seed ${seed} has already been applied to this database (workspace ${taken[0].id} exists). ` +
        'Use another seed, or a fresh database.',
    );
  }

  const tables: SeedTableReport[] = [];
  let commitStarted = 0;
  await inTransaction(db, async (q) => {
    await insertWorkspaceData(q, plan, (report) => tables.push(report));
    commitStarted = performance.now();
  });
  const commitMs = performance.now() - commitStarted;

  let analyzeMs = 0;
  if (options.analyze ?? true) {
    const analyzeStarted = performance.now();
    await db.query(`ANALYZE ${SEED_TABLES.join(', ')}`);
    analyzeMs = performance.now() - analyzeStarted;
  }
  return {
    seed,
    workspaceIds,
    tables,
    rows: tables.reduce((sum, t) => sum + t.rows, 0),
    commitMs: Math.round(commitMs),
    analyzeMs: Math.round(analyzeMs),
    totalMs: Math.round(performance.now() - started),
  };
}

/** Finds a user by email or creates them (argon2 hash); for the seed CLI. */
export async function ensureUser(
  db: DataSource,
  user: SeedUser,
): Promise<{ id: string; created: boolean }> {
  const email = normaliseEmail(user.email);
  const existing = await findUserId(db, email);
  if (existing) return { id: existing, created: false };
  const passwordHash = await new PasswordHasher().hash(user.password);
  const inserted = (await db.query(
    `INSERT INTO users (email, name, password_hash) VALUES ($1, $2, $3)
     ON CONFLICT (email) DO NOTHING
     RETURNING id`,
    [email, user.name.trim(), passwordHash],
  )) as { id: string }[];
  if (inserted.length > 0) return { id: inserted[0].id, created: true };
  const raced = await findUserId(db, email);
  if (!raced) throw new Error(`could not create or find the user ${email}`);
  return { id: raced, created: false };
}

export function validateScale(scale: SeedScale): void {
  const problems: string[] = [];
  for (const [key, value] of Object.entries(scale) as [keyof SeedScale, number][]) {
    if (!Number.isSafeInteger(value) || value < 0)
      problems.push(`${key} must be a whole number >= 0 (got ${value})`);
  }
  if (scale.workspaces < 1) problems.push('workspaces must be at least 1');
  if (scale.agentsPerWorkspace === 0 && scale.processesPerWorkspace > 0) {
    problems.push('thinking processes belong to an agent: agentsPerWorkspace must be at least 1');
  }
  if (scale.stepsPerProcess > 1_000_000) problems.push('stepsPerProcess must be at most 1,000,000');
  if (problems.length > 0) throw new RangeError(`Invalid seed scale: ${problems.join('; ')}`);
}

// ---------------------------------------------------------------------------
// Plan: every row of the small tables, computed in JavaScript
// ---------------------------------------------------------------------------

interface Queryable {
  query(sql: string, params?: unknown[]): Promise<unknown>;
}

interface PlannedWorkspace {
  index: number;
  id: string;
  name: string;
  description: string;
  createdAt: Date;
}

interface PlannedAgent {
  /** 1-based within its workspace. */
  index: number;
  id: string;
  workspace: PlannedWorkspace;
  profile: AgentProfile;
  status: (typeof AGENT_STATUS_CYCLE)[number];
  createdAt: Date;
  updatedAt: Date;
}

interface WorkspacePlan {
  idNamespace: string;
  contentNamespace: string;
  ownerId: string;
  anchor: Date;
  scale: SeedScale;
  workspaces: PlannedWorkspace[];
  /** By workspace, in order: agentsPerWorkspace each. */
  agents: PlannedAgent[];
}

const HOUR = 3600_000;
const DAY = 24 * HOUR;

function planWorkspaces(input: {
  idNamespace: string;
  contentNamespace: string;
  ownerId: string;
  anchor: Date;
  scale: SeedScale;
  /** Names of the first workspaces; the rest come from the pool. */
  names: string[];
}): WorkspacePlan {
  const { idNamespace, contentNamespace, anchor, scale } = input;
  const workspaces: PlannedWorkspace[] = [];
  const agents: PlannedAgent[] = [];
  for (let w = 1; w <= scale.workspaces; w++) {
    const rng = new Rng(`${contentNamespace}:workspace:${w}`);
    const round = Math.floor((w - 1) / WORKSPACE_NAMES.length);
    const workspace: PlannedWorkspace = {
      index: w,
      id: seedUuid(`${idNamespace}:workspace:${w}`),
      name:
        input.names[w - 1] ??
        WORKSPACE_NAMES[(w - 1) % WORKSPACE_NAMES.length] + (round > 0 ? ` ${round + 1}` : ''),
      description: rng.pick(WORKSPACE_DESCRIPTIONS),
      createdAt: new Date(anchor.getTime() - 60 * DAY + w * 10 * 60_000 + rng.int(0, 9) * 60_000),
    };
    workspaces.push(workspace);

    const agentRng = new Rng(`${contentNamespace}:agents:${w}`);
    const teamOffset = ((w - 1) * 3) % AGENT_TEAM.length;
    const statusOffset = ((w - 1) * 5) % AGENT_STATUS_CYCLE.length;
    const spacing = Math.min(3 * HOUR, (30 * DAY) / Math.max(1, scale.agentsPerWorkspace));
    for (let a = 0; a < scale.agentsPerWorkspace; a++) {
      const profile = agentProfile(agentRng, a, teamOffset);
      const createdAt = new Date(
        workspace.createdAt.getTime() + (a + 1) * spacing + agentRng.int(0, 50) * 60_000,
      );
      const sinceCreated = anchor.getTime() - createdAt.getTime();
      agents.push({
        index: a + 1,
        id: seedUuid(`${idNamespace}:agent:${w}:${a + 1}`),
        workspace,
        profile,
        status: AGENT_STATUS_CYCLE[(a + statusOffset) % AGENT_STATUS_CYCLE.length],
        createdAt,
        updatedAt: new Date(
          anchor.getTime() - Math.min(sinceCreated, agentRng.int(1, 72 * 60) * 60_000),
        ),
      });
    }
  }
  return { ...input, workspaces, agents };
}

function agentProfile(rng: Rng, index: number, teamOffset: number): AgentProfile {
  if (index < AGENT_TEAM.length) return AGENT_TEAM[(index + teamOffset) % AGENT_TEAM.length];
  const extra = index - AGENT_TEAM.length;
  const round = Math.floor(extra / AGENT_NAMES.length);
  return {
    name: AGENT_NAMES[extra % AGENT_NAMES.length] + (round > 0 ? `-${round + 1}` : ''),
    role: rng.pick(AGENT_ROLES),
    model: rng.pick(AGENT_MODELS),
  };
}

// ---------------------------------------------------------------------------
// Inserts: one statement per table (deliverables in batches), never a row at a time
// ---------------------------------------------------------------------------

const DELIVERABLE_BATCH = 500;

async function insertWorkspaceData(
  q: QueryRunner,
  plan: WorkspacePlan,
  onTable: (report: SeedTableReport) => void,
): Promise<void> {
  const timed = async (table: SeedTable, work: () => Promise<number>) => {
    const started = performance.now();
    const rows = await work();
    onTable({ table, rows, ms: Math.round(performance.now() - started) });
  };
  const { workspaces, agents, scale, anchor } = plan;

  await timed('workspaces', () =>
    affected(
      q,
      `INSERT INTO workspaces (id, name, description, owner_id, created_at, updated_at)
       SELECT id, name, description, $5::uuid, created_at, created_at
         FROM unnest($1::uuid[], $2::text[], $3::text[], $4::timestamptz[])
              AS t(id, name, description, created_at)`,
      [
        workspaces.map((w) => w.id),
        workspaces.map((w) => w.name),
        workspaces.map((w) => w.description),
        workspaces.map((w) => w.createdAt.toISOString()),
        plan.ownerId,
      ],
    ),
  );

  await timed('workspace_members', () =>
    affected(
      q,
      `INSERT INTO workspace_members (workspace_id, user_id, role, created_at)
       SELECT id, $2::uuid, 'owner', created_at
         FROM unnest($1::uuid[], $3::timestamptz[]) AS t(id, created_at)`,
      [workspaces.map((w) => w.id), plan.ownerId, workspaces.map((w) => w.createdAt.toISOString())],
    ),
  );

  await timed('agents', () =>
    affected(
      q,
      `INSERT INTO agents (id, workspace_id, name, role, model, status, created_at, updated_at)
       SELECT id, workspace_id, name, role, model, status::agent_status, created_at, updated_at
         FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::text[], $6::text[],
                     $7::timestamptz[], $8::timestamptz[])
              AS t(id, workspace_id, name, role, model, status, created_at, updated_at)`,
      [
        agents.map((a) => a.id),
        agents.map((a) => a.workspace.id),
        agents.map((a) => a.profile.name),
        agents.map((a) => a.profile.role),
        agents.map((a) => a.profile.model),
        agents.map((a) => a.status),
        agents.map((a) => a.createdAt.toISOString()),
        agents.map((a) => a.updatedAt.toISOString()),
      ],
    ),
  );

  await timed('agent_settings', async () => {
    const agentIds: string[] = [];
    const keys: string[] = [];
    const values: string[] = [];
    const updatedAt: string[] = [];
    for (const agent of agents) {
      const rng = new Rng(
        `${plan.contentNamespace}:settings:${agent.workspace.index}:${agent.index}`,
      );
      for (let k = 0; k < scale.settingsPerAgent; k++) {
        const setting = SETTING_VALUES[k];
        agentIds.push(agent.id);
        keys.push(setting ? setting.key : `custom_setting_${k + 1}`);
        values.push(
          setting
            ? settingValue(rng, setting.key, setting.values, agent.profile)
            : `value-${rng.int(1, 99)}`,
        );
        const span = anchor.getTime() - agent.createdAt.getTime();
        updatedAt.push(
          new Date(agent.createdAt.getTime() + Math.floor(rng.next() * span)).toISOString(),
        );
      }
    }
    if (agentIds.length === 0) return 0;
    return affected(
      q,
      `INSERT INTO agent_settings (agent_id, key, value, updated_at)
       SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::timestamptz[])`,
      [agentIds, keys, values, updatedAt],
    );
  });

  await timed('deliverables', () => insertDeliverables(q, plan));

  const thinking: ThinkingPlan = {
    idNamespace: plan.idNamespace,
    salt: hash31(`${plan.contentNamespace}:thinking`),
    anchor,
    workspaceIds: workspaces.map((w) => w.id),
    agentIds: agents.map((a) => a.id),
    agentStatuses: agents.map((a) => a.status),
    agentsPerWorkspace: scale.agentsPerWorkspace,
    processesPerWorkspace: scale.processesPerWorkspace,
    stepsPerProcess: scale.stepsPerProcess,
  };
  const hasProcesses = scale.processesPerWorkspace > 0;
  await timed('thinking_processes', async () => {
    if (!hasProcesses) return 0;
    const table = buildProcessTable(thinking);
    await q.query(table.sql, table.params);
    return affected(q, INSERT_PROCESSES, []);
  });
  await timed('thinking_steps', async () => {
    if (!hasProcesses || scale.stepsPerProcess === 0) return 0;
    const steps = buildInsertSteps();
    const inserted = await affected(q, steps.sql, steps.params);
    // Appends continue after each process's newest step (thinking.repository appendSteps).
    await q.query(
      `UPDATE thinking_processes p SET last_step_at = s.last
         FROM (SELECT t.process_id, max(t.created_at) AS last FROM thinking_steps t
                WHERE t.process_id IN (SELECT id FROM seed_processes) GROUP BY t.process_id) s
        WHERE p.id = s.process_id`,
    );
    return inserted;
  });

  await timed('goals', () => insertGoals(q, plan));
}

async function insertDeliverables(q: QueryRunner, plan: WorkspacePlan): Promise<number> {
  const { scale, anchor } = plan;
  const count = scale.deliverablesPerWorkspace;
  const windowMs = Math.min(14 * DAY, count * 12 * HOUR);
  const spacing = count > 0 ? windowMs / count : 0;
  let total = 0;
  let batch: {
    id: string;
    workspaceId: string;
    agentId: string | null;
    title: string;
    content: string;
    createdAt: string;
    updatedAt: string;
  }[] = [];
  const flush = async () => {
    if (batch.length === 0) return;
    total += await affected(
      q,
      `INSERT INTO deliverables
              (id, workspace_id, agent_id, title, content, content_hash, created_at, updated_at)
       SELECT id, workspace_id, agent_id, title, content,
              encode(sha256(convert_to(content, 'UTF8')), 'hex'), created_at, updated_at
         FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::text[], $5::text[],
                     $6::timestamptz[], $7::timestamptz[])
              AS t(id, workspace_id, agent_id, title, content, created_at, updated_at)`,
      [
        batch.map((d) => d.id),
        batch.map((d) => d.workspaceId),
        batch.map((d) => d.agentId),
        batch.map((d) => d.title),
        batch.map((d) => d.content),
        batch.map((d) => d.createdAt),
        batch.map((d) => d.updatedAt),
      ],
    );
    batch = [];
  };

  for (const workspace of plan.workspaces) {
    const rng = new Rng(`${plan.contentNamespace}:deliverables:${workspace.index}`);
    const team = plan.agents.filter((a) => a.workspace === workspace);
    for (let d = 1; d <= count; d++) {
      const author = team.length > 0 && !rng.chance(0.08) ? rng.pick(team) : null;
      const createdAt = new Date(
        anchor.getTime() - (count - d + rng.next() * 0.8) * spacing - 10 * 60_000,
      );
      const edited = rng.chance(0.3);
      const updatedAt = edited
        ? new Date(createdAt.getTime() + rng.next() * (anchor.getTime() - createdAt.getTime()))
        : createdAt;
      const text = buildDeliverable(rng, author?.profile ?? null, createdAt);
      batch.push({
        id: seedUuid(`${plan.idNamespace}:deliverable:${workspace.index}:${d}`),
        workspaceId: workspace.id,
        agentId: author?.id ?? null,
        title: text.title,
        content: text.content,
        createdAt: createdAt.toISOString(),
        updatedAt: updatedAt.toISOString(),
      });
      if (batch.length >= DELIVERABLE_BATCH) await flush();
    }
  }
  await flush();
  return total;
}

/** Goal statuses, cycled: mostly active, some at risk, achieved, missed or paused. */
const GOAL_STATUS_CYCLE = [
  'active',
  'at_risk',
  'achieved',
  'active',
  'missed',
  'paused',
  'active',
  'at_risk',
  'achieved',
  'active',
] as const;

const WINDOWS: readonly { hours: number; text: string }[] = [
  { hours: 24, text: 'day' },
  { hours: 48, text: '2 days' },
  { hours: 72, text: '3 days' },
  { hours: 168, text: 'week' },
];

async function insertGoals(q: QueryRunner, plan: WorkspacePlan): Promise<number> {
  const { anchor, scale } = plan;
  const columns = {
    id: [] as string[],
    workspaceId: [] as string[],
    title: [] as string[],
    description: [] as string[],
    status: [] as string[],
    progress: [] as number[],
    agentIds: [] as string[],
    target: [] as number[],
    windowHours: [] as number[],
    lastCheckedAt: [] as string[],
    nextCheckAt: [] as (string | null)[],
    createdAt: [] as string[],
    updatedAt: [] as string[],
  };
  for (const workspace of plan.workspaces) {
    const rng = new Rng(`${plan.contentNamespace}:goals:${workspace.index}`);
    const working = plan.agents.filter(
      (a) => a.workspace === workspace && a.status !== 'terminated',
    );
    for (let g = 0; g < scale.goalsPerWorkspace; g++) {
      const template = GOAL_TEMPLATES[(g + workspace.index - 1) % GOAL_TEMPLATES.length];
      const window = rng.pick(WINDOWS);
      const target = rng.pick([3, 5, 8, 10, 12, 20]);
      const status = GOAL_STATUS_CYCLE[(g + (workspace.index - 1) * 3) % GOAL_STATUS_CYCLE.length];
      const progress =
        status === 'achieved'
          ? 100
          : status === 'at_risk'
            ? rng.int(8, 45)
            : status === 'missed'
              ? rng.int(20, 85)
              : status === 'paused'
                ? rng.int(0, 60)
                : rng.int(35, 95);
      const createdAt = new Date(
        anchor.getTime() - rng.int(2 * 24, 20 * 24) * HOUR - rng.int(0, 59) * 60_000,
      );
      const lastCheckedAt =
        status === 'paused'
          ? new Date(anchor.getTime() - rng.int(1, 5) * DAY)
          : new Date(anchor.getTime() - rng.int(1, 14) * 60_000 - rng.int(0, 59_999));
      const topic = rng.pick(TOPICS);
      columns.id.push(seedUuid(`${plan.idNamespace}:goal:${workspace.index}:${g + 1}`));
      columns.workspaceId.push(workspace.id);
      columns.title.push(fill(template.title, { target, window: window.text }));
      columns.description.push(`${template.description} Focus this cycle: ${topic}.`);
      columns.status.push(status);
      columns.progress.push(progress);
      columns.agentIds.push(
        `{${rng
          .sample(working, rng.int(1, 3))
          .map((a) => a.id)
          .join(',')}}`,
      );
      columns.target.push(target);
      columns.windowHours.push(window.hours);
      columns.lastCheckedAt.push(lastCheckedAt.toISOString());
      columns.nextCheckAt.push(
        status === 'paused' ? null : new Date(lastCheckedAt.getTime() + 15 * 60_000).toISOString(),
      );
      columns.createdAt.push(createdAt.toISOString());
      columns.updatedAt.push(lastCheckedAt.toISOString());
    }
  }
  if (columns.id.length === 0) return 0;
  return affected(
    q,
    `INSERT INTO goals (id, workspace_id, title, description, status, progress, agent_ids,
                        target_deliverables, window_hours, last_checked_at, next_check_at,
                        created_at, updated_at)
     SELECT id, workspace_id, title, description, status::goal_status, progress, agent_ids::uuid[],
            target, window_hours, last_checked_at, next_check_at, created_at, updated_at
       FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::text[], $6::smallint[],
                   $7::text[], $8::int[], $9::int[], $10::timestamptz[], $11::timestamptz[],
                   $12::timestamptz[], $13::timestamptz[])
            AS t(id, workspace_id, title, description, status, progress, agent_ids, target,
                 window_hours, last_checked_at, next_check_at, created_at, updated_at)`,
    [
      columns.id,
      columns.workspaceId,
      columns.title,
      columns.description,
      columns.status,
      columns.progress,
      columns.agentIds,
      columns.target,
      columns.windowHours,
      columns.lastCheckedAt,
      columns.nextCheckAt,
      columns.createdAt,
      columns.updatedAt,
    ],
  );
}

function settingValue(
  rng: Rng,
  key: string,
  values: readonly string[],
  profile: AgentProfile,
): string {
  // Writers run warmer than reviewers: the temperature follows the role.
  if (key === 'temperature') {
    const creative = ['writer', 'translator', 'planner', 'editor'].includes(profile.role);
    return creative ? rng.pick(values.slice(3)) : rng.pick(values.slice(0, 3));
  }
  if (key === 'system_prompt_version') return `${profile.role}-${rng.pick(values)}`;
  return rng.pick(values);
}

// ---------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------

function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

async function findUserId(db: Queryable, email: string): Promise<string | undefined> {
  const rows = (await db.query(`SELECT id FROM users WHERE email = $1`, [email])) as {
    id: string;
  }[];
  return rows[0]?.id;
}

/** Runs one statement and returns the number of rows it wrote. */
async function affected(q: QueryRunner, sql: string, params: unknown[]): Promise<number> {
  const result = await q.query(sql, params, true);
  return result.affected ?? 0;
}

async function inTransaction<T>(db: DataSource, work: (q: QueryRunner) => Promise<T>): Promise<T> {
  const q = db.createQueryRunner();
  await q.connect();
  try {
    await q.startTransaction();
    try {
      const result = await work(q);
      await q.commitTransaction();
      return result;
    } catch (error) {
      if (q.isTransactionActive) await q.rollbackTransaction().catch(() => undefined);
      throw error;
    }
  } finally {
    await q.release();
  }
}
