import type { InfiniteData } from '@tanstack/react-query';

import type {
  Agent,
  Dashboard,
  DeliverableListResponse,
  DisplayedDeliverable,
  Goal,
  Page,
  ThinkingProcessWithSteps,
  ThinkingStep,
} from '@orch/contracts';

export const WS = '00000000-0000-4000-8000-000000000001';
const at = (second: number) => new Date(Date.UTC(2026, 11, 1, 9, 0, second)).toISOString();
export { at };

export function agent(n: number, overrides: Partial<Agent> = {}): Agent {
  return {
    id: `00000000-0000-4000-8000-0000000001${String(n).padStart(2, '0')}`,
    workspaceId: WS,
    name: `Agent ${n}`,
    role: 'researcher',
    model: 'gpt-4o-mini',
    status: 'idle',
    settings: {},
    createdAt: at(n),
    updatedAt: at(n),
    ...overrides,
  };
}

export function deliverable(
  n: number,
  overrides: Partial<DisplayedDeliverable> = {},
): DisplayedDeliverable {
  return {
    id: `00000000-0000-4000-8000-0000000002${String(n).padStart(2, '0')}`,
    workspaceId: WS,
    agentId: null,
    title: `Deliverable ${n}`,
    content: `# Note ${n}`,
    contentHash: `hash-${n}`,
    createdAt: at(n),
    updatedAt: at(n),
    displayContent: { html: `<h1>Note ${n}</h1>`, summary: `Note ${n}`, outline: [`Note ${n}`] },
    displayStatus: 'ready',
    fallbackHtml: null,
    ...overrides,
  };
}

export function goal(n: number, overrides: Partial<Goal> = {}): Goal {
  return {
    id: `00000000-0000-4000-8000-0000000003${String(n).padStart(2, '0')}`,
    workspaceId: WS,
    title: `Goal ${n}`,
    description: null,
    status: 'active',
    progress: 10 * n,
    statusReason: null,
    agentIds: [],
    targetDeliverables: 5,
    windowHours: 24,
    lastCheckedAt: null,
    nextCheckAt: null,
    createdAt: at(n),
    updatedAt: at(n),
    ...overrides,
  };
}

export function step(processN: number, n: number): ThinkingStep {
  return {
    id: `00000000-0000-4000-8000-000000004${processN}${String(n).padStart(2, '0')}`,
    processId: processId(processN),
    kind: 'observation',
    content: `step ${n}`,
    createdAt: at(30 + n),
  };
}

export const processId = (n: number) =>
  `00000000-0000-4000-8000-0000000005${String(n).padStart(2, '0')}`;

export function process(n: number, steps: ThinkingStep[] = []): ThinkingProcessWithSteps {
  return {
    id: processId(n),
    workspaceId: WS,
    agentId: agent(1).id,
    title: `Process ${n}`,
    status: 'running',
    createdAt: at(n),
    updatedAt: at(n),
    steps,
  };
}

export function pages<T>(items: T[], nextCursor: string | null = null): InfiniteData<Page<T>> {
  return { pages: [{ items, nextCursor }], pageParams: [undefined] };
}

export function deliverablePages(
  items: DisplayedDeliverable[],
): InfiniteData<DeliverableListResponse> {
  return {
    pages: [
      {
        items,
        nextCursor: null,
        displayCache: { cached: items.length, transformed: 0, pending: 0, aiCallsSaved: 0 },
      },
    ],
    pageParams: [undefined],
  };
}

export function dashboard(agents: Agent[], overrides: Partial<Dashboard> = {}): Dashboard {
  const agentStatusCounts = { active: 0, idle: 0, busy: 0, error: 0, offline: 0, terminated: 0 };
  for (const a of agents) agentStatusCounts[a.status] += 1;
  return {
    workspace: {
      id: WS,
      name: 'Research',
      description: null,
      ownerId: '00000000-0000-4000-8000-000000000009',
      createdAt: at(0),
      updatedAt: at(0),
    },
    agents,
    agentStatusCounts,
    recentDeliverables: [],
    goals: [],
    counts: { agents: agents.length, deliverables: 0, thinkingProcesses: 0, goals: 0 },
    ...overrides,
  };
}
