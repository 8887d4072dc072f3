import {
  type ClientToServerEvents,
  type HandshakeErrorData,
  REALTIME_PATH,
  type ServerToClientEvents,
} from '@orch/contracts';
import { randomBytes } from 'node:crypto';
import { connect as tcpConnect, type Socket as TcpSocket } from 'node:net';
import { io, type Socket } from 'socket.io-client';

/**
 * socket.io clients for the realtime tests: a real `socket.io-client` over the websocket
 * transport (as the web app connects), one connection per client (no multiplexing), no
 * reconnection (a refused or dropped client stays dropped, so the tests see exactly what the
 * server did), every server event recorded from the first packet on.
 */

export type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;
export type ServerEventName = keyof ServerToClientEvents;
export type ServerEventPayload<E extends ServerEventName> = Parameters<ServerToClientEvents[E]>[0];

/** One event as the client saw it; narrowing on `name` narrows `payload`. */
export type ReceivedEvent<E extends ServerEventName = ServerEventName> = {
  [K in E]: {
    name: K;
    payload: ServerEventPayload<K>;
    /** performance.now() when the client saw it. */
    at: number;
  };
}[E];

export interface ClientOptions {
  /** Answer every `heartbeat` with `heartbeat_response { seq }` (default true). */
  answerHeartbeats?: boolean;
  /** How long the handshake may take before `connect` gives up (default 5 s). */
  timeoutMs?: number;
}

/**
 * A `connect_error`: a handshake the server refused (`data` holds its reason), or a
 * connection that could not be made at all (`data` undefined).
 */
export class ConnectRefused extends Error {
  constructor(
    message: string,
    readonly data: HandshakeErrorData | undefined,
  ) {
    super(message);
    this.name = 'ConnectRefused';
  }
}

interface Waiter {
  test(event: ReceivedEvent): boolean;
  resolve(event: ReceivedEvent): void;
  reject(error: Error): void;
}

const DEFAULT_WAIT_MS = 5_000;

export class RealtimeClient {
  readonly socket: ClientSocket;
  /** Every event the server sent, in arrival order. */
  readonly events: ReceivedEvent[] = [];
  answerHeartbeats: boolean;
  /** Why the socket disconnected (socket.io's reason), once it has. */
  disconnectReason: string | undefined;
  /** performance.now() of the disconnect. */
  disconnectedAt: number | undefined;
  private readonly waiters = new Set<Waiter>();
  private readonly disconnectWaiters = new Set<(reason: string) => void>();

  constructor(
    readonly baseUrl: string,
    auth: unknown,
    options: ClientOptions = {},
  ) {
    this.answerHeartbeats = options.answerHeartbeats ?? true;
    this.socket = io(baseUrl, {
      path: REALTIME_PATH,
      transports: ['websocket'],
      auth: auth as Record<string, unknown>,
      forceNew: true,
      reconnection: false,
      autoConnect: false,
      timeout: options.timeoutMs ?? DEFAULT_WAIT_MS,
    });
    // Listeners first, then connect: an event sent right after the CONNECT packet is kept.
    this.socket.onAny((name: ServerEventName, payload: unknown) => {
      this.record({ name, payload, at: performance.now() } as ReceivedEvent);
    });
    this.socket.on('heartbeat', ({ seq }) => {
      if (this.answerHeartbeats) this.socket.emit('heartbeat_response', { seq });
    });
    this.socket.on('disconnect', (reason) => {
      this.disconnectReason = reason;
      this.disconnectedAt = performance.now();
      for (const waiter of this.waiters) {
        waiter.reject(new Error(`disconnected (${reason}) while waiting; got ${this.summary()}`));
      }
      this.waiters.clear();
      for (const resolve of this.disconnectWaiters) resolve(reason);
      this.disconnectWaiters.clear();
    });
  }

  /** Opens the connection; resolves on `connect`, rejects with ConnectRefused on `connect_error`. */
  open(): Promise<this> {
    return new Promise((resolve, reject) => {
      const onConnect = () => {
        this.socket.off('connect_error', onError);
        resolve(this);
      };
      const onError = (error: Error & { data?: HandshakeErrorData }) => {
        this.socket.off('connect', onConnect);
        reject(new ConnectRefused(error.message, error.data));
      };
      this.socket.once('connect', onConnect);
      this.socket.once('connect_error', onError);
      this.socket.connect();
    });
  }

  get connected(): boolean {
    return this.socket.connected;
  }

  /** The payloads of every `name` event received so far. */
  received<E extends ServerEventName>(name: E): ServerEventPayload<E>[] {
    return this.events
      .filter((e) => e.name === name)
      .map((e) => e.payload as ServerEventPayload<E>);
  }

  /** How many events have arrived: pass it as `since` to wait only for later ones. */
  mark(): number {
    return this.events.length;
  }

  /**
   * The first `name` event (at index `since` or later) whose payload passes `where`: one
   * already received, or the next to arrive. Rejects on timeout or disconnect, listing what
   * did arrive.
   */
  waitFor<E extends ServerEventName>(
    name: E,
    options: {
      where?: (payload: ServerEventPayload<E>) => boolean;
      since?: number;
      timeoutMs?: number;
    } = {},
  ): Promise<ServerEventPayload<E>> {
    return this.waitForEvent(name, options).then((e) => e.payload);
  }

  /** Like waitFor, with the arrival time. */
  waitForEvent<E extends ServerEventName>(
    name: E,
    options: {
      where?: (payload: ServerEventPayload<E>) => boolean;
      since?: number;
      timeoutMs?: number;
    } = {},
  ): Promise<ReceivedEvent<E>> {
    const test = (event: ReceivedEvent): boolean =>
      event.name === name && (options.where?.(event.payload as ServerEventPayload<E>) ?? true);
    const found = this.events.slice(options.since ?? 0).find(test);
    if (found) return Promise.resolve(found as ReceivedEvent<E>);
    if (this.disconnectReason !== undefined) {
      return Promise.reject(
        new Error(
          `${name}: already disconnected (${this.disconnectReason}); got ${this.summary()}`,
        ),
      );
    }
    const timeoutMs = options.timeoutMs ?? DEFAULT_WAIT_MS;
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        test,
        resolve: (event) => {
          clearTimeout(timer);
          resolve(event as ReceivedEvent<E>);
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(new Error(`${name}: ${error.message}`));
        },
      };
      const timer = setTimeout(() => {
        this.waiters.delete(waiter);
        reject(new Error(`no ${name} within ${timeoutMs} ms; got ${this.summary()}`));
      }, timeoutMs);
      this.waiters.add(waiter);
    });
  }

  /** Resolves with socket.io's reason once the socket is disconnected (at once if it is). */
  waitForDisconnect(timeoutMs = DEFAULT_WAIT_MS): Promise<string> {
    if (this.disconnectReason !== undefined) return Promise.resolve(this.disconnectReason);
    return new Promise((resolve, reject) => {
      const done = (reason: string) => {
        clearTimeout(timer);
        resolve(reason);
      };
      const timer = setTimeout(() => {
        this.disconnectWaiters.delete(done);
        reject(new Error(`still connected after ${timeoutMs} ms; got ${this.summary()}`));
      }, timeoutMs);
      this.disconnectWaiters.add(done);
    });
  }

  /**
   * Disconnects (if still connected) and resolves once the underlying websocket has closed.
   * The server sees the disconnect packet before the close.
   */
  async close(timeoutMs = 2_000): Promise<void> {
    const engine = this.socket.io.engine as
      { readyState: string; once(event: 'close', listener: () => void): void } | undefined;
    const closed =
      engine && engine.readyState !== 'closed'
        ? new Promise<void>((resolve) => {
            const timer = setTimeout(resolve, timeoutMs);
            engine.once('close', () => {
              clearTimeout(timer);
              resolve();
            });
          })
        : Promise.resolve();
    this.socket.disconnect();
    // A socket that never connected leaves its manager open: close it too.
    this.socket.io.engine?.close();
    await closed;
    for (const waiter of this.waiters) waiter.reject(new Error('closed by the test'));
    this.waiters.clear();
  }

  /** "heartbeat×3, agent.updated" for failure messages. */
  summary(): string {
    if (this.events.length === 0) return 'no events';
    const counts = new Map<string, number>();
    for (const e of this.events) counts.set(e.name, (counts.get(e.name) ?? 0) + 1);
    return [...counts].map(([name, n]) => (n > 1 ? `${name}×${n}` : name)).join(', ');
  }

  private record(event: ReceivedEvent): void {
    this.events.push(event);
    for (const waiter of this.waiters) {
      if (waiter.test(event)) {
        this.waiters.delete(waiter);
        waiter.resolve(event);
      }
    }
  }
}

/** A connected client; rejects with ConnectRefused when the handshake is refused. */
export function connectClient(
  baseUrl: string,
  auth: unknown,
  options?: ClientOptions,
): Promise<RealtimeClient> {
  return new RealtimeClient(baseUrl, auth, options).open();
}

/** The `connect_error` data of a handshake that must be refused (fails the test if it connects). */
export async function refusedHandshake(
  baseUrl: string,
  auth: unknown,
): Promise<HandshakeErrorData | undefined> {
  const client = new RealtimeClient(baseUrl, auth);
  try {
    await client.open();
  } catch (error) {
    if (error instanceof ConnectRefused) return error.data;
    throw error;
  } finally {
    await client.close();
  }
  throw new Error(`the handshake with ${JSON.stringify(auth)} was accepted`);
}

/** Closes every client (in parallel) and empties the list. */
export async function closeAll(clients: RealtimeClient[]): Promise<void> {
  const all = clients.splice(0, clients.length);
  await Promise.all(all.map((c) => c.close()));
}

/**
 * A raw TCP connection that performs the WebSocket upgrade of socket.io's engine (so the
 * server opens an engine.io session) and then never sends the socket.io CONNECT packet:
 * a handshake that never completes.
 */
export interface StalledHandshake {
  /** The HTTP status line the server answered the upgrade with. */
  statusLine: string;
  /** Text of the first websocket frame (engine.io's OPEN packet, `0{...}`). */
  openPacket: string;
  /**
   * Resolves with the ms from the upgrade's answer until the server dropped the connection:
   * its websocket close frame, or the TCP connection closing, whichever came first.
   */
  closed: Promise<number>;
  destroy(): void;
}

export function stallHandshake(baseUrl: string, timeoutMs = 5_000): Promise<StalledHandshake> {
  const url = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const socket: TcpSocket = tcpConnect(Number(url.port), url.hostname);
    let buffer = Buffer.alloc(0);
    let statusLine: string | undefined;
    let upgradedAt = 0;
    let settled = false;
    let markClosed: (ms: number) => void = () => undefined;
    const closed = new Promise<number>((resolveClosed) => {
      let done = false;
      markClosed = (ms) => {
        if (done) return;
        done = true;
        resolveClosed(ms);
      };
      socket.once('close', () => markClosed(performance.now() - upgradedAt));
    });
    const fail = (error: Error) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      reject(error);
    };
    const timer = setTimeout(
      () => fail(new Error(`no engine.io OPEN within ${timeoutMs} ms`)),
      timeoutMs,
    );
    socket.on('error', fail);
    socket.once('close', () =>
      fail(new Error(`closed before the OPEN packet: ${buffer.toString('latin1')}`)),
    );
    socket.on('connect', () => {
      const key = randomBytes(16).toString('base64');
      socket.write(
        `GET ${REALTIME_PATH}/?EIO=4&transport=websocket HTTP/1.1\r\n` +
          `Host: ${url.host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
          `Sec-WebSocket-Key: ${key}\r\nSec-WebSocket-Version: 13\r\n\r\n`,
      );
    });
    socket.on('data', (chunk: Buffer) => {
      buffer = Buffer.concat([buffer, chunk]);
      if (statusLine === undefined) {
        const end = buffer.indexOf('\r\n\r\n');
        if (end < 0) return;
        statusLine = buffer.subarray(0, buffer.indexOf('\r\n')).toString('latin1');
        buffer = buffer.subarray(end + 4);
        upgradedAt = performance.now();
        if (!statusLine.includes(' 101 ')) {
          fail(new Error(`upgrade refused: ${statusLine}`));
          return;
        }
      }
      // Unmasked server frames: FIN+opcode, then a 7-bit, 16-bit or 64-bit length.
      for (;;) {
        if (buffer.length < 2) return;
        const opcode = buffer[0] & 0x0f;
        let length = buffer[1] & 0x7f;
        let offset = 2;
        if (length === 126) {
          if (buffer.length < 4) return;
          length = buffer.readUInt16BE(2);
          offset = 4;
        } else if (length === 127) {
          if (buffer.length < 10) return;
          length = Number(buffer.readBigUInt64BE(2));
          offset = 10;
        }
        if (buffer.length < offset + length) return;
        const payload = buffer.subarray(offset, offset + length);
        buffer = buffer.subarray(offset + length);
        if (opcode === 0x8) {
          // The server closes the websocket: the session is over. No closing handshake back.
          markClosed(performance.now() - upgradedAt);
          socket.destroy();
          return;
        }
        if (opcode === 0x1 && !settled) {
          settled = true;
          clearTimeout(timer);
          resolve({
            statusLine,
            openPacket: payload.toString('utf8'),
            closed,
            destroy: () => socket.destroy(),
          });
        }
      }
    });
  });
}
