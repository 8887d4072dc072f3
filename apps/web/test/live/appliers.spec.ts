import { QueryClient, type InfiniteData } from '@tanstack/react-query';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import type {
  Goal,
  Agent,
  Dashboard,
  DeliverableListResponse,
  Page,
  QuotaNotifications,
  QuotaStatus,
  ThinkingProcess,
  ThinkingProcessWithSteps,
} from '@orch/contracts';

import { registerLiveAppliers } from '../../src/app/live/register-appliers';
import { agentsQueryOptions } from '../../src/features/agents/api/get-agents';
import { deliverablesQueryOptions } from '../../src/features/deliverables/api/get-deliverables';
import { goalsQueryOptions } from '../../src/features/goals/api/get-goals';
import {
  quotaNotificationsQueryOptions,
  quotaStatusQueryOptions,
} from '../../src/features/quota/api/get-quota';
import { thinkingQueryOptions } from '../../src/features/thinking/api/get-thinking';
import { dashboardQueryOptions } from '../../src/features/workspaces/api/get-dashboard';
import { applyLiveEvent, type LiveContext } from '../../src/lib/live-events';
import { startTestApi, type TestApi } from '../support/api-server';
import * as f from '../support/fixtures';

const FETCHED_AT = 1_700_000_000_000;

let unregister: () => void;
let api: TestApi;
const newProcess: ThinkingProcess = {
  id: f.processId(9),
  workspaceId: f.WS,
  agentId: f.agent(1).id,
  title: 'Just started',
  status: 'running',
  createdAt: f.at(50),
  updatedAt: f.at(50),
};

beforeAll(async () => {
  unregister = registerLiveAppliers();
  api = await startTestApi(({ path }) =>
    path === `/thinking/${newProcess.id}`
      ? { status: 200, body: newProcess }
      : { status: 404, body: { statusCode: 404, error: 'Not Found', message: 'no' } },
  );
});
afterAll(async () => {
  unregister();
  await api.close();
});

describe('pushed events applied to the cache', () => {
  let queryClient: QueryClient;
  let context: LiveContext;
  const keys = {
    dashboard: dashboardQueryOptions(f.WS).queryKey,
    agents: agentsQueryOptions(f.WS).queryKey,
    deliverables: deliverablesQueryOptions(f.WS).queryKey,
    thinking: thinkingQueryOptions(f.WS).queryKey,
    goals: goalsQueryOptions(f.WS).queryKey,
    quotaStatus: quotaStatusQueryOptions(f.WS).queryKey,
    quotaNotifications: quotaNotificationsQueryOptions(f.WS).queryKey,
  };

  beforeEach(() => {
    api.requests.length = 0;
    queryClient = new QueryClient();
    context = { queryClient, workspaceId: f.WS };
    const agents = [f.agent(2, { status: 'busy' }), f.agent(1)];
    const set = (key: readonly unknown[], data: unknown) =>
      queryClient.setQueryData(key, data, { updatedAt: FETCHED_AT });
    set(
      keys.dashboard,
      f.dashboard(agents, {
        goals: [f.goal(1)],
        counts: { agents: 2, deliverables: 1, thinkingProcesses: 1, goals: 1 },
        recentDeliverables: [f.deliverable(1)],
      }),
    );
    set(keys.agents, f.pages(agents));
    set(keys.deliverables, f.deliverablePages([f.deliverable(1)]));
    set(keys.thinking, f.pages([f.process(1, [f.step(1, 1), f.step(1, 2)])]));
    set(keys.goals, f.pages([f.goal(1)]));
    set(keys.quotaStatus, {
      workspaceId: f.WS,
      used: 10,
      limit: 100,
      remaining: 90,
      resetsAt: f.at(0),
    });
    set(keys.quotaNotifications, { items: [] });
  });

  const get = <T>(key: readonly unknown[]) => queryClient.getQueryData<T>(key);
  const updatedAt = (key: readonly unknown[]) => queryClient.getQueryState(key)?.dataUpdatedAt;

  it('agent.updated moves the agent in place and its status count, keeping the fetch time', async () => {
    const changed: Agent = { ...f.agent(1), status: 'active', updatedAt: f.at(40) };
    await applyLiveEvent(context, 'agent.updated', { agent: changed });

    const list = get<InfiniteData<Page<Agent>>>(keys.agents);
    expect(list?.pages[0].items.map((a) => [a.name, a.status])).toEqual([
      ['Agent 2', 'busy'],
      ['Agent 1', 'active'],
    ]);
    const board = get<Dashboard>(keys.dashboard);
    expect(board?.agentStatusCounts).toMatchObject({ idle: 0, active: 1, busy: 1 });
    expect(board?.counts.agents).toBe(2);
    expect(updatedAt(keys.agents)).toBe(FETCHED_AT);
    expect(updatedAt(keys.dashboard)).toBe(FETCHED_AT);

    // The same event again (our own mutation's answer, then the push) changes nothing.
    await applyLiveEvent(context, 'agent.updated', { agent: changed });
    expect(get<Dashboard>(keys.dashboard)?.agentStatusCounts).toMatchObject({ idle: 0, active: 1 });
    // An older version arriving late doesn't undo the newer one.
    await applyLiveEvent(context, 'agent.updated', { agent: { ...f.agent(1), status: 'error' } });
    expect(get<InfiniteData<Page<Agent>>>(keys.agents)?.pages[0].items[1].status).toBe('active');
  });

  it('a new agent goes first, and the counts grow', async () => {
    await applyLiveEvent(context, 'agent.updated', { agent: f.agent(3, { status: 'active' }) });
    expect(get<InfiniteData<Page<Agent>>>(keys.agents)?.pages[0].items.map((a) => a.name)).toEqual([
      'Agent 3',
      'Agent 2',
      'Agent 1',
    ]);
    expect(get<Dashboard>(keys.dashboard)?.counts.agents).toBe(3);
    expect(get<Dashboard>(keys.dashboard)?.agentStatusCounts.active).toBe(1);
  });

  it('deliverable.created is inserted (pending display) and counted; .updated replaces', async () => {
    const created = f.deliverable(2, {
      displayContent: null,
      displayStatus: 'pending',
      fallbackHtml: '<h1>Note 2</h1>',
    });
    await applyLiveEvent(context, 'deliverable.created', { deliverable: created });
    const list = get<InfiniteData<DeliverableListResponse>>(keys.deliverables);
    expect(list?.pages[0].items.map((d) => [d.title, d.displayStatus])).toEqual([
      ['Deliverable 2', 'pending'],
      ['Deliverable 1', 'ready'],
    ]);
    expect(get<Dashboard>(keys.dashboard)?.counts.deliverables).toBe(2);

    // A title edit keeps the display content (same markdown); a content edit makes it pending.
    const first = f.deliverable(1);
    await applyLiveEvent(context, 'deliverable.updated', {
      deliverable: { ...first, title: 'Renamed', updatedAt: f.at(41) },
    });
    let items = get<InfiniteData<DeliverableListResponse>>(keys.deliverables)?.pages[0].items;
    expect([items?.[1].title, items?.[1].displayStatus]).toEqual(['Renamed', 'ready']);
    await applyLiveEvent(context, 'deliverable.updated', {
      deliverable: {
        ...first,
        title: 'Renamed',
        content: '# New',
        contentHash: 'new',
        updatedAt: f.at(42),
        displayContent: null,
        displayStatus: 'pending',
        fallbackHtml: '<h1>New</h1>',
      },
    });
    items = get<InfiniteData<DeliverableListResponse>>(keys.deliverables)?.pages[0].items;
    expect([items?.[1].displayStatus, items?.[1].displayContent, items?.[1].fallbackHtml]).toEqual([
      'pending',
      null,
      '<h1>New</h1>',
    ]);
    expect(get<Dashboard>(keys.dashboard)?.counts.deliverables).toBe(2);
  });

  it('deliverable.updated from the display queue turns a pending item ready, fallback gone', async () => {
    const pending = f.deliverable(1, {
      displayContent: null,
      displayStatus: 'pending',
      fallbackHtml: '<h1>Note 1</h1>',
    });
    await applyLiveEvent(context, 'deliverable.updated', { deliverable: pending });
    let item = get<InfiniteData<DeliverableListResponse>>(keys.deliverables)?.pages[0].items[0];
    expect([item?.displayStatus, item?.fallbackHtml]).toEqual(['pending', '<h1>Note 1</h1>']);
    const ready = f.deliverable(1, {
      displayContent: { html: '<h1>Made by the AI</h1>', summary: 'AI', outline: [] },
    });
    await applyLiveEvent(context, 'deliverable.updated', { deliverable: ready });
    item = get<InfiniteData<DeliverableListResponse>>(keys.deliverables)?.pages[0].items[0];
    expect([item?.displayStatus, item?.displayContent?.html, item?.fallbackHtml]).toEqual([
      'ready',
      '<h1>Made by the AI</h1>',
      null,
    ]);
  });

  it('thinking.step is appended to its process once, without a request', async () => {
    const payload = { workspaceId: f.WS, processId: f.processId(1), step: f.step(1, 3) };
    await applyLiveEvent(context, 'thinking.step', payload);
    await applyLiveEvent(context, 'thinking.step', payload);
    const list = get<InfiniteData<Page<ThinkingProcessWithSteps>>>(keys.thinking);
    expect(list?.pages[0].items[0].steps.map((s) => s.content)).toEqual([
      'step 1',
      'step 2',
      'step 3',
    ]);
    expect(api.requests).toEqual([]);
    expect(updatedAt(keys.thinking)).toBe(FETCHED_AT);
  });

  it('a step of an unknown process fetches that process alone, once for a burst', async () => {
    const steps = [1, 2, 3].map((n) => ({
      workspaceId: f.WS,
      processId: newProcess.id,
      step: { ...f.step(9, n), processId: newProcess.id, createdAt: f.at(50 + n) },
    }));
    await Promise.all(steps.map((payload) => applyLiveEvent(context, 'thinking.step', payload)));
    const list = get<InfiniteData<Page<ThinkingProcessWithSteps>>>(keys.thinking);
    expect(list?.pages[0].items.map((p) => [p.title, p.steps.length])).toEqual([
      ['Just started', 3],
      ['Process 1', 2],
    ]);
    expect(api.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      `GET /thinking/${newProcess.id}`,
    ]);
  });

  it('goal.updated replaces the goal (with the monitor reason) or adds a new one', async () => {
    const evaluated: Goal = {
      ...f.goal(1),
      status: 'at_risk',
      statusReason: 'every agent is offline',
      updatedAt: f.at(45),
    };
    await applyLiveEvent(context, 'goal.updated', { goal: evaluated });
    await applyLiveEvent(context, 'goal.updated', { goal: f.goal(2) });
    const goals = get<InfiniteData<Page<Goal>>>(keys.goals)?.pages[0].items;
    expect(goals?.map((g) => [g.title, g.status, g.statusReason])).toEqual([
      ['Goal 2', 'active', null],
      ['Goal 1', 'at_risk', 'every agent is offline'],
    ]);
    expect(get<Dashboard>(keys.dashboard)?.counts.goals).toBe(2);
  });

  it('quota.notification is listed once and the status never shows less than it says', async () => {
    const notification = {
      workspaceId: f.WS,
      day: '2026-12-01',
      threshold: 80 as const,
      used: 80,
      limit: 100,
      createdAt: f.at(46),
    };
    await applyLiveEvent(context, 'quota.notification', { notification });
    await applyLiveEvent(context, 'quota.notification', { notification });
    expect(get<QuotaNotifications>(keys.quotaNotifications)?.items).toHaveLength(1);
    expect(get<QuotaStatus>(keys.quotaStatus)).toMatchObject({ used: 80, remaining: 20 });
  });

  it('ignores events of another workspace', async () => {
    await applyLiveEvent(context, 'agent.updated', { agent: f.agent(7, { workspaceId: 'other' }) });
    expect(get<InfiniteData<Page<Agent>>>(keys.agents)?.pages[0].items).toHaveLength(2);
    expect(get<Dashboard>(keys.dashboard)?.counts.agents).toBe(2);
  });
});
