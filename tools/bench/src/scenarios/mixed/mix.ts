/**
 * The mixed workload, defined here and only here: who the users are, what
 * they do and how often. Each user is a member of one workspace and works in
 * a closed loop (its next request when the last is answered, no think time).
 * To rerun it at another provider latency:
 *
 *   npm run bench -- --only mixed --provider-ms 2000
 */

export const USERS = 100;
/** The AI provider's latency per call during the mix, unless --provider-ms says otherwise. */
export const PROVIDER_MS = 300;
/** A user gives up on a request after this long: counted as an error (a timeout). */
export const REQUEST_TIMEOUT_MS = 10_000;

export type MixClass =
  | 'dashboard'
  | 'thinking'
  | 'agents'
  | 'deliverables'
  | 'step-append'
  | 'agent-status'
  | 'new-deliverable';

/** Shares in percent; they add up to 100. */
export const MIX: readonly { cls: MixClass; percent: number; what: string }[] = [
  { cls: 'dashboard', percent: 35, what: 'GET /api/workspaces/:id/dashboard' },
  { cls: 'thinking', percent: 20, what: 'GET /api/workspaces/:id/thinking (10 × 20)' },
  { cls: 'agents', percent: 15, what: 'GET /api/workspaces/:id/agents?limit=20' },
  { cls: 'deliverables', percent: 10, what: 'GET /api/workspaces/:id/deliverables?limit=20' },
  { cls: 'step-append', percent: 10, what: 'POST /api/thinking/:processId/steps' },
  { cls: 'agent-status', percent: 5, what: 'PATCH /api/agents/:id { status }' },
  { cls: 'new-deliverable', percent: 5, what: 'POST /api/workspaces/:id/deliverables' },
];

/** What a user works on: its workspace, the agents it may change, its own running process. */
export interface UserFixture {
  token: string;
  workspaceId: string;
  agentIds: string[];
  processId: string;
}

export interface MixRequest {
  cls: MixClass;
  method: 'GET' | 'POST' | 'PATCH';
  path: string;
  body?: unknown;
}

const STATUSES = ['active', 'idle', 'busy', 'offline'] as const;
const KINDS = ['observation', 'reasoning', 'decision', 'action', 'result'] as const;

/** A small deterministic PRNG (mulberry32): both sides replay the same choices per user and round. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

export function pickClass(random: () => number): MixClass {
  let roll = random() * 100;
  for (const entry of MIX) {
    roll -= entry.percent;
    if (roll < 0) return entry.cls;
  }
  return MIX[MIX.length - 1].cls;
}

/** The request of class `cls` for this user; `n` numbers the user's requests (unique contents). */
export function requestFor(
  cls: MixClass,
  user: UserFixture,
  random: () => number,
  n: string,
): MixRequest {
  const ws = user.workspaceId;
  switch (cls) {
    case 'dashboard':
      return { cls, method: 'GET', path: `/api/workspaces/${ws}/dashboard` };
    case 'thinking':
      return {
        cls,
        method: 'GET',
        path: `/api/workspaces/${ws}/thinking?processes=10&stepsPerProcess=20`,
      };
    case 'agents':
      return { cls, method: 'GET', path: `/api/workspaces/${ws}/agents?limit=20` };
    case 'deliverables':
      return { cls, method: 'GET', path: `/api/workspaces/${ws}/deliverables?limit=20` };
    case 'step-append':
      return {
        cls,
        method: 'POST',
        path: `/api/thinking/${user.processId}/steps`,
        body: {
          kind: KINDS[Math.floor(random() * KINDS.length)],
          content: `Step ${n}: compared the latest figures with the forecast and noted the gap.`,
        },
      };
    case 'agent-status':
      return {
        cls,
        method: 'PATCH',
        path: `/api/agents/${user.agentIds[Math.floor(random() * user.agentIds.length)]}`,
        body: { status: STATUSES[Math.floor(random() * STATUSES.length)] },
      };
    case 'new-deliverable':
      return {
        cls,
        method: 'POST',
        path: `/api/workspaces/${ws}/deliverables`,
        body: { title: `Status note ${n}`, content: noteMarkdown(n) },
      };
  }
}

function noteMarkdown(n: string): string {
  return [
    '## Summary',
    '',
    `Status note ${n}: the weekly figures are in. Volume is up on the previous week and the`,
    'two largest segments account for most of the change; nothing needs a decision yet.',
    '',
    '## Findings',
    '',
    '- **Volume** rose, mostly in the last three days.',
    '- **Conversion** held within the usual weekly noise.',
    '- Two records were incomplete and were set aside.',
    '',
    '## Next steps',
    '',
    '1. Re-run after the month-end close.',
    '2. Share the figures with the team.',
  ].join('\n');
}
