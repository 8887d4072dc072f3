import type { Api, Memory } from '../../lib/api.js';
import { CpuMeter } from '../../lib/cpu.js';
import { sleep } from '../../lib/processes.js';
import { type LatencySummary, summarize } from '../../lib/stats.js';
import type { Context } from '../types.js';
import { type Client, closeAll, cycle, openClient, openMany } from './clients.js';

export interface RealtimeSettings {
  /** Idle connections at the two memory points, e.g. 1,000 and 5,000. */
  small: number;
  large: number;
  /** Clients in the room the broadcasts go to, and how many broadcasts are measured. */
  broadcastClients: number;
  broadcasts: number;
  /** Connect/disconnect cycles before the last heap reading. */
  cycles: number;
  concurrency: number;
}

export interface RealtimeResult {
  settings: RealtimeSettings;
  baseline: Memory;
  atSmall: Memory;
  atLarge: Memory;
  perConnection: { small: { heap: number; rss: number }; large: { heap: number; rss: number } };
  broadcast: {
    clients: number;
    rounds: number;
    /** Per delivery: arrival minus the step's server timestamp (its insert). */
    latency: LatencySummary;
    /** Per round: until the first client had it (the insert, its commit, the publish). */
    firstClient: LatencySummary;
    /** Per round: until the last client had it. */
    lastClient: LatencySummary;
    missing: number;
    /** API CPU per posted step, µs: with nobody listening, and with the room full. */
    cpuAloneUs: number | undefined;
    cpuRoomUs: number | undefined;
  };
  afterCycles: Memory;
  /** Heap after the cycles minus the heap before any connection. */
  heapGrowth: number;
  heldAfterClose: number;
}

const WARMUP_CONNECTIONS = 20;
const WARMUP_BROADCASTS = 3;
/** Wall-clock ms with sub-ms resolution, comparable with the server's timestamps. */
const wallNow = () => performance.timeOrigin + performance.now();

/**
 * The gateway of the optimized API (there is no realtime switch): memory per
 * idle connection at two sizes, broadcast latency to one room, and the heap
 * after many connect/disconnect cycles (a leak shows as growth). Memory is the
 * API's own after three full GCs, over its IPC probe.
 */
export async function runRealtime(
  ctx: Context,
  s: RealtimeSettings,
  log: (line: string) => void,
): Promise<RealtimeResult> {
  const api: Api = ctx.apis.optimized;
  const token = api.target.token ?? '';
  const workspaceId = ctx.main[0];
  const open = () => openClient(api.origin, token, workspaceId);
  const held = async () =>
    (await api.target.json<{ realtime: { local: number } }>('GET', '/api/performance/metrics'))
      .realtime.local;

  const agents = await api.target.json<{ items: { id: string; status: string }[] }>(
    'GET',
    `/api/workspaces/${workspaceId}/agents?view=lite&limit=100`,
  );
  const agent = agents.items.find((a) => a.status !== 'terminated');
  if (!agent) throw new Error('no agent to start a thinking process with');
  const thinkingProcess = await api.target.json<{ id: string }>(
    'POST',
    `/api/workspaces/${workspaceId}/thinking`,
    { agentId: agent.id, title: 'Realtime broadcast bench' },
  );
  const post = (content: string) =>
    api.target.json('POST', `/api/thinking/${thinkingProcess.id}/steps`, {
      kind: 'observation',
      content,
    });
  // The same posts with nobody listening: what a post costs the API without the fan-out.
  for (let i = 0; i < WARMUP_BROADCASTS; i++) await post(`alone, warm-up ${i}`);
  const aloneBefore = api.meter.snapshot();
  for (let i = 0; i < s.broadcasts; i++) {
    await post(`alone ${i}`);
    await sleep(50);
  }
  const cpuAloneUs = CpuMeter.use(aloneBefore, api.meter.snapshot(), s.broadcasts).apiUs;

  // The first connections pay for lazy initialisation, not per connection.
  const warm: Client[] = [];
  await openMany(warm, WARMUP_CONNECTIONS, s.concurrency, open, ctx.signal);
  await closeAll(warm);
  await sleep(500);
  const baseline = await api.memory();

  const clients: Client[] = [];
  try {
    await openMany(clients, s.small, s.concurrency, open, ctx.signal);
    await sleep(1_000);
    const atSmall = await api.memory();
    const perSmall = perConnection(baseline, atSmall, s.small);
    log(
      `realtime: ${s.small} idle connections, heap +${kb(perSmall.heap)} RSS +${kb(perSmall.rss)} each`,
    );

    const room = clients.slice(0, s.broadcastClients);
    const broadcast = await broadcastRounds(room, s.broadcasts, post, api, cpuAloneUs);
    log(
      `realtime: broadcast to ${room.length}: p50 ${broadcast.latency.p50.toFixed(1)} ms, ` +
        `p99 ${broadcast.latency.p99.toFixed(1)} ms, ${broadcast.missing} missing`,
    );

    await openMany(clients, s.large - clients.length, s.concurrency, open, ctx.signal);
    await sleep(1_000);
    const atLarge = await api.memory();
    const perLarge = perConnection(baseline, atLarge, s.large);
    log(
      `realtime: ${s.large} idle connections, heap +${kb(perLarge.heap)} RSS +${kb(perLarge.rss)} each`,
    );
    if ((await held()) !== s.large) throw new Error(`the API does not hold ${s.large} connections`);

    await closeAll(clients);
    await cycle(s.cycles, s.concurrency, open, ctx.signal);
    let left = await held();
    for (let i = 0; i < 100 && left > 0; i++) {
      await sleep(100);
      left = await held();
    }
    await sleep(500);
    const afterCycles = await api.memory();
    log(
      `realtime: after ${s.cycles} connect/disconnect cycles the heap is ` +
        `${kb(afterCycles.heapUsed - baseline.heapUsed)} over the baseline; ${left} connections held`,
    );
    return {
      settings: s,
      baseline,
      atSmall,
      atLarge,
      perConnection: { small: perSmall, large: perLarge },
      broadcast,
      afterCycles,
      heapGrowth: afterCycles.heapUsed - baseline.heapUsed,
      heldAfterClose: left,
    };
  } finally {
    for (const client of clients) client.close();
  }
}

function perConnection(before: Memory, after: Memory, n: number) {
  return { heap: (after.heapUsed - before.heapUsed) / n, rss: (after.rss - before.rss) / n };
}

function kb(bytes: number): string {
  return `${(bytes / 1024).toFixed(1)} KB`;
}

/** Steps posted over HTTP, one at a time; every client in the room should receive each. */
async function broadcastRounds(
  room: Client[],
  rounds: number,
  post: (content: string) => Promise<unknown>,
  api: Api,
  cpuAloneUs: number | undefined,
): Promise<RealtimeResult['broadcast']> {
  const arrivals = new Map<string, number[]>();
  const serverAt = new Map<string, number>();
  for (const client of room) {
    client.on('thinking.step', (payload) => {
      const at = wallNow();
      arrivals.get(payload.step.content)?.push(at);
      if (!serverAt.has(payload.step.content)) {
        serverAt.set(payload.step.content, Date.parse(payload.step.createdAt));
      }
    });
  }
  const latencies: number[] = [];
  const firstClient: number[] = [];
  const lastClient: number[] = [];
  let missing = 0;
  let cpuBefore = api.meter.snapshot();
  for (let round = 0; round < rounds + WARMUP_BROADCASTS; round++) {
    if (round === WARMUP_BROADCASTS) cpuBefore = api.meter.snapshot();
    const content = `broadcast ${round}`;
    const received: number[] = [];
    arrivals.set(content, received);
    await post(content);
    const until = performance.now() + 10_000;
    while (received.length < room.length && performance.now() < until) await sleep(5);
    arrivals.delete(content);
    if (round < WARMUP_BROADCASTS) continue;
    missing += room.length - received.length;
    const at = serverAt.get(content) ?? Number.NaN;
    for (const t of received) latencies.push(t - at);
    if (received.length > 0) {
      firstClient.push(Math.min(...received) - at);
      lastClient.push(Math.max(...received) - at);
    }
    await sleep(50);
  }
  const cpuRoomUs = CpuMeter.use(cpuBefore, api.meter.snapshot(), rounds).apiUs;
  for (const client of room) client.off('thinking.step');
  return {
    clients: room.length,
    rounds,
    latency: summarize(latencies),
    firstClient: summarize(firstClient),
    lastClient: summarize(lastClient),
    missing,
    cpuAloneUs,
    cpuRoomUs,
  };
}
