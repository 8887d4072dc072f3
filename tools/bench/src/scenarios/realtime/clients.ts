import { io, type Socket } from 'socket.io-client';
import { errorMessage } from '../../lib/cleanup.js';
import { sleep } from '../../lib/processes.js';

/*
 * The bench sees the gateway over socket.io only; these mirror
 * libs/contracts/src/realtime.ts (the events it uses).
 */
interface StepEvent {
  workspaceId: string;
  processId: string;
  step: { id: string; content: string; createdAt: string };
}
interface ServerEvents {
  heartbeat: (payload: { seq: number; at: string }) => void;
  connection_rejected: (payload: { reason: string; limit: number; retryAfterMs: number }) => void;
  'thinking.step': (payload: StepEvent) => void;
}
interface ClientEvents {
  heartbeat_response: (payload: { seq: number }) => void;
}
export type Client = Socket<ServerEvents, ClientEvents>;

/** One socket.io connection, as the web app opens it; resolves once accepted. */
export function openClient(origin: string, token: string, workspaceId: string): Promise<Client> {
  const socket: Client = io(origin, {
    path: '/socket.io',
    transports: ['websocket'],
    auth: { token, workspaceId },
    forceNew: true,
    reconnection: false,
    timeout: 20_000,
  });
  socket.on('heartbeat', ({ seq }) => socket.emit('heartbeat_response', { seq }));
  return new Promise((resolve, reject) => {
    socket.once('connect_error', (error: Error & { data?: { code?: string } }) => {
      socket.close();
      reject(new Error(`connect_error ${error.data?.code ?? ''} ${error.message}`.trim()));
    });
    socket.once('connection_rejected', (payload) => {
      socket.close();
      reject(new Error(`connection_rejected ${payload.reason} (limit ${payload.limit})`));
    });
    socket.once('disconnect', (reason) => reject(new Error(`disconnected: ${reason}`)));
    socket.once('connect', () => resolve(socket));
  });
}

/** Opens `count` more connections, `concurrency` handshakes at a time; throws on the first failure. */
export async function openMany(
  clients: Client[],
  count: number,
  concurrency: number,
  open: () => Promise<Client>,
  signal: AbortSignal,
): Promise<void> {
  let started = 0;
  let failure: string | undefined;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, count) }, async () => {
      while (started < count && failure === undefined && !signal.aborted) {
        started += 1;
        try {
          clients.push(await open());
        } catch (error) {
          failure ??= errorMessage(error);
        }
      }
    }),
  );
  signal.throwIfAborted();
  if (failure) throw new Error(`opening connections: ${failure}`);
}

/** `count` connections opened and closed again, `concurrency` at a time. */
export async function cycle(
  count: number,
  concurrency: number,
  open: () => Promise<Client>,
  signal: AbortSignal,
): Promise<void> {
  let started = 0;
  let failure: string | undefined;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, count) }, async () => {
      while (started < count && failure === undefined && !signal.aborted) {
        started += 1;
        try {
          const client = await open();
          client.close();
        } catch (error) {
          failure ??= errorMessage(error);
        }
      }
    }),
  );
  signal.throwIfAborted();
  if (failure) throw new Error(`connect/disconnect cycles: ${failure}`);
}

export async function closeAll(clients: Client[]): Promise<void> {
  for (const client of clients.splice(0)) client.close();
  await sleep(500);
}
