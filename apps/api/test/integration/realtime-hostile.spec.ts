import type { HandshakeErrorData, Workspace } from '@orch/contracts';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { RealtimeGateway } from '../../src/modules/realtime/realtime.gateway.js';
import { factory, type TestUser } from '../support/factories.js';
import { hostileScalar } from '../support/hostile-input.js';
import { ConnectRefused, RealtimeClient } from '../support/socket-client.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/**
 * The WebSocket side of hostile-input.spec.ts: handshakes with generated `auth` objects and
 * generated client messages. A handshake is accepted exactly when it carries a valid token and
 * the id of a workspace of the token's user (either case); every other one is refused with a
 * documented code and leaves no slot taken. Every message but a well-formed
 * `heartbeat_response` answers an `error` event and the socket keeps serving.
 * Bounded like the HTTP suite: HOSTILE_RUNS cases, HOSTILE_MS per property.
 */
const RUNS = Number(process.env.HOSTILE_RUNS ?? 20);
const MS = Number(process.env.HOSTILE_MS ?? 1200) * 8;
const SEED = process.env.HOSTILE_SEED === undefined ? undefined : Number(process.env.HOSTILE_SEED);
/**
 * Hostile values that fit one socket.io packet: a frame over engine.io's maxHttpBufferSize
 * (16 KiB) is not a message at all, the server drops the connection (docs/realtime.md).
 */
const hostile = hostileScalar.filter((v) => (JSON.stringify(v) ?? '').length < 8 * 1024);
const CODES: HandshakeErrorData['code'][] = [
  'BAD_HANDSHAKE',
  'UNAUTHENTICATED',
  'WORKSPACE_NOT_FOUND',
];

describe('hostile WebSocket input generated like the HTTP one', () => {
  let t: TestApp;
  let gateway: RealtimeGateway;
  let owner: TestUser;
  let stranger: TestUser;
  let ws: Workspace;
  let strangers: Workspace;

  beforeAll(async () => {
    // A message budget no run reaches: every bad message is judged on its content.
    t = await startTestApp({ env: { WS_MESSAGES_PER_MIN: '100000', WS_MAX_TOTAL: '500' } });
    gateway = t.app.get(RealtimeGateway);
    const f = factory(t.api);
    [owner, stranger] = [await f.user(), await f.user()];
    ws = await f.workspace(owner);
    strangers = await f.workspace(stranger);
  });
  afterAll(() => t.close());

  const options = {
    numRuns: RUNS,
    interruptAfterTimeLimit: MS,
    markInterruptAsFailure: false,
    endOnFailure: true,
    ...(SEED === undefined ? {} : { seed: SEED }),
  };

  it('accepts exactly a valid token with a workspace of its user, refuses the rest with a code', async () => {
    const token = fc.oneof(
      fc.constantFrom<unknown>(
        owner.token,
        stranger.token,
        `${owner.token}x`,
        owner.token.toUpperCase(),
      ),
      hostile,
    );
    const workspaceId = fc.oneof(
      fc.constantFrom<unknown>(ws.id, ws.id.toUpperCase(), strangers.id, `${ws.id} `),
      hostile,
    );
    const auth = fc.oneof(
      fc.record({ token, workspaceId }, { requiredKeys: [] }),
      fc
        .tuple(
          fc.record({ token, workspaceId }),
          fc.dictionary(fc.string({ maxLength: 8 }), hostile, { maxKeys: 3 }),
        )
        .map(([a, extra]) => ({ ...extra, ...a })),
    );
    let accepted = 0;
    const result = await fc.check(
      fc.asyncProperty(auth, async (a) => {
        const value = a as { token?: unknown; workspaceId?: unknown };
        const member =
          typeof value === 'object' &&
          value !== null &&
          typeof value.workspaceId === 'string' &&
          ((value.token === owner.token && value.workspaceId.toLowerCase() === ws.id) ||
            (value.token === stranger.token && value.workspaceId.toLowerCase() === strangers.id));
        const client = new RealtimeClient(t.baseUrl, a, { timeoutMs: 1_500 });
        try {
          await client.open();
          expect(member, JSON.stringify(a).slice(0, 300)).toBe(true);
          accepted++;
        } catch (error) {
          expect(error).toBeInstanceOf(ConnectRefused);
          const data = (error as ConnectRefused).data;
          expect(member, JSON.stringify(a)).toBe(false);
          expect(CODES).toContain(data?.code);
          expect(typeof data?.message).toBe('string');
        } finally {
          await client.close();
        }
      }),
      // Always also the member with an upper-case id and the stranger in their own workspace.
      {
        ...options,
        examples: [
          [{ token: owner.token, workspaceId: ws.id.toUpperCase() }],
          [{ token: stranger.token, workspaceId: strangers.id }],
        ],
      },
    );
    expect(result.failed, JSON.stringify({ ...result, failures: undefined }).slice(0, 2000)).toBe(
      false,
    );
    expect(result.numRuns).toBeGreaterThan(0);
    // No slot is left taken by any of them.
    await vi.waitFor(
      async () => expect(await gateway.limiter.counts()).toEqual({ total: 0, perWorkspace: {} }),
      {
        timeout: 3_000,
        interval: 20,
      },
    );
    expect(accepted).toBeGreaterThanOrEqual(2);
  });

  it('answers every generated message with an error event and keeps the socket serving', async () => {
    const client = await new RealtimeClient(t.baseUrl, {
      token: owner.token,
      workspaceId: ws.id,
    }).open();
    const raw = client.socket as unknown as { emit(event: unknown, ...args: unknown[]): void };
    const event = fc.oneof(
      fc.constantFrom<unknown>(
        'heartbeat_response',
        'subscribe',
        'connection_rejected',
        'x'.repeat(10_000),
      ),
      fc.string({ unit: 'binary', minLength: 1, maxLength: 30 }),
    );
    const args = fc.array(fc.oneof(hostile, fc.jsonValue({ maxDepth: 4 })), { maxLength: 3 });
    try {
      const result = await fc.check(
        fc.asyncProperty(event, args, async (name, payload) => {
          // A well-formed heartbeat_response is the protocol, not a bad message: skip it.
          fc.pre(
            !(
              name === 'heartbeat_response' &&
              Number.isInteger((payload[0] as { seq?: unknown } | null)?.seq)
            ),
          );
          const since = client.mark();
          raw.emit(name, ...payload);
          const error = await client.waitFor('error', { since, timeoutMs: 2_000 });
          expect(error.code).toBe('BAD_MESSAGE');
          expect(client.connected).toBe(true);
        }),
        options,
      );
      expect(
        result.failed,
        `${JSON.stringify(result.counterexample)} seed ${result.seed}\n${String(result.errorInstance)}`,
      ).toBe(false);
      // Still in its room: a write is pushed to it.
      const since = client.mark();
      const res = await t.api.patch(
        `/api/workspaces/${ws.id}`,
        { description: 'after the storm' },
        { token: owner.token },
      );
      expect(res.status, res.text).toBe(200);
      await client.waitFor('workspace.updated', { since });
    } finally {
      await client.close();
    }
  });
});
