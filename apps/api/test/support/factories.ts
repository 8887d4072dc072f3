import type {
  Agent,
  AuthResponse,
  CreateAgentRequest,
  CreateDeliverableRequest,
  CreateGoalRequest,
  Deliverable,
  DisplayedDeliverable,
  Goal,
  ThinkingProcess,
  ThinkingStep,
  Workspace,
} from '@orch/contracts';
import { expect } from 'vitest';
import type { ApiClient, ApiResponse } from './api-client.js';

let sequence = 0;
const next = () => ++sequence;

export interface TestUser {
  token: string;
  userId: string;
  email: string;
  password: string;
}

function created<T>(response: ApiResponse<T>, what: string): T {
  expect(response.status, `${what}: ${response.text}`).toBe(201);
  return response.body;
}

/**
 * Builds records through the public API, as a client would, so every test
 * arranges data through the same validation and access rules it asserts.
 */
export function factory(api: ApiClient) {
  return {
    async user(
      overrides: { email?: string; password?: string; name?: string } = {},
    ): Promise<TestUser> {
      const n = next();
      const email = overrides.email ?? `user${n}-${process.pid}@example.com`;
      const password = overrides.password ?? `password-${n}`;
      const res = await api.post<AuthResponse>('/api/auth/register', {
        email,
        password,
        name: overrides.name ?? `User ${n}`,
      });
      const body = created(res, 'register');
      return { token: body.accessToken, userId: body.user.id, email, password };
    },

    async workspace(owner: TestUser, name = `Workspace ${next()}`): Promise<Workspace> {
      return created(
        await api.post<Workspace>('/api/workspaces', { name }, { token: owner.token }),
        'workspace',
      );
    },

    async agent(
      owner: TestUser,
      workspaceId: string,
      body: Partial<CreateAgentRequest> = {},
    ): Promise<Agent> {
      const n = next();
      return created(
        await api.post<Agent>(
          `/api/workspaces/${workspaceId}/agents`,
          { name: `Agent ${n}`, role: 'researcher', ...body },
          { token: owner.token },
        ),
        'agent',
      );
    },

    async deliverable(
      owner: TestUser,
      workspaceId: string,
      body: Partial<CreateDeliverableRequest> = {},
    ): Promise<DisplayedDeliverable> {
      const n = next();
      return created(
        await api.post<DisplayedDeliverable>(
          `/api/workspaces/${workspaceId}/deliverables`,
          { title: `Deliverable ${n}`, content: `# Report ${n}\n\nFindings.`, ...body },
          { token: owner.token },
        ),
        'deliverable',
      );
    },

    async process(owner: TestUser, workspaceId: string, agentId: string): Promise<ThinkingProcess> {
      return created(
        await api.post<ThinkingProcess>(
          `/api/workspaces/${workspaceId}/thinking`,
          { agentId, title: `Process ${next()}` },
          { token: owner.token },
        ),
        'thinking process',
      );
    },

    async step(
      owner: TestUser,
      processId: string,
      content = `Step ${next()}`,
    ): Promise<ThinkingStep> {
      return created(
        await api.post<ThinkingStep>(
          `/api/thinking/${processId}/steps`,
          { kind: 'observation', content },
          { token: owner.token },
        ),
        'thinking step',
      );
    },

    async goal(
      owner: TestUser,
      workspaceId: string,
      body: Partial<CreateGoalRequest> = {},
    ): Promise<Goal> {
      return created(
        await api.post<Goal>(
          `/api/workspaces/${workspaceId}/goals`,
          { title: `Goal ${next()}`, ...body },
          { token: owner.token },
        ),
        'goal',
      );
    },
  };
}

/** A new user, added to the workspace as a member by its owner through the API. */
export async function addMember(
  api: ApiClient,
  owner: TestUser,
  workspaceId: string,
): Promise<TestUser> {
  const member = await factory(api).user();
  const res = await api.post(
    `/api/workspaces/${workspaceId}/members`,
    { email: member.email },
    { token: owner.token },
  );
  expect(res.status, `add member: ${res.text}`).toBe(201);
  return member;
}

/** Anything that runs SQL: the test app's DataSource. */
export interface SqlRunner {
  query<T>(sql: string, parameters?: unknown[]): Promise<T>;
}

/** Rows in `table` matching `where`: to show that a refused request wrote nothing. */
export async function countRows(
  db: SqlRunner,
  table: string,
  where = 'true',
  parameters: unknown[] = [],
): Promise<number> {
  const rows = await db.query<{ n: number }[]>(
    `SELECT count(*)::int AS n FROM ${table} WHERE ${where}`,
    parameters,
  );
  return rows[0].n;
}

/** The deliverable as the dashboard shows it: without the display fields. */
export function withoutDisplay(d: DisplayedDeliverable): Deliverable {
  const { displayContent: _content, displayStatus: _status, fallbackHtml: _fallback, ...rest } = d;
  return rest;
}

/**
 * Reads the deliverable until the display queue has stored its display content (`ready`);
 * fails after `timeoutMs`. For specs whose subject is not the queue itself.
 */
export async function untilDisplayed(
  api: ApiClient,
  user: TestUser,
  id: string,
  timeoutMs = 10_000,
): Promise<DisplayedDeliverable> {
  const giveUpAt = Date.now() + timeoutMs;
  for (;;) {
    const res = await api.get<DisplayedDeliverable>(`/api/deliverables/${id}`, {
      token: user.token,
    });
    expect(res.status, res.text).toBe(200);
    if (res.body.displayStatus === 'ready') return res.body;
    if (Date.now() > giveUpAt) {
      throw new Error(`deliverable ${id} still pending after ${timeoutMs} ms`);
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
