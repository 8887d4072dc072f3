import type {
  AuthResponse,
  ClientToServerEvents,
  ConnectionRejectedPayload,
  HandshakeErrorData,
  Page,
  ServerToClientEvents,
  WorkspaceForUser,
} from '@orch/contracts';
import { REALTIME_PATH } from '@orch/contracts';
import { parseArgs } from 'node:util';
import { io, type Socket } from 'socket.io-client';

const USAGE = `usage: npm run live -- [--workspace <id>] [--url http://localhost:3000] [--email e] [--password p]
Logs in (the demo user unless --email/--password), connects to the workspace's
realtime room (the first workspace when --workspace is left out) and prints
every event as it arrives, answering heartbeats. Ctrl-C stops.`;

const DOMAIN_EVENTS = [
  'workspace.updated',
  'agent.updated',
  'deliverable.created',
  'deliverable.updated',
  'thinking.step',
  'goal.updated',
  'quota.notification',
] as const;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      workspace: { type: 'string' },
      url: { type: 'string', default: 'http://localhost:3000' },
      email: { type: 'string', default: 'demo@example.com' },
      password: { type: 'string', default: 'demo-password' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const base = values.url.replace(/\/+$/, '');
  const login = await fetch(`${base}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: values.email, password: values.password }),
  });
  if (!login.ok) throw new Error(`login failed: ${login.status} ${await login.text()}`);
  const { accessToken, user } = (await login.json()) as AuthResponse;

  let workspaceId = values.workspace;
  if (!workspaceId) {
    const res = await fetch(`${base}/api/workspaces?limit=1`, {
      headers: { authorization: `Bearer ${accessToken}` },
    });
    const page = (await res.json()) as Page<WorkspaceForUser>;
    workspaceId = page.items[0]?.id;
    if (!workspaceId) throw new Error(`${user.email} has no workspace`);
    console.log(`watching ${page.items[0].name} (${workspaceId})`);
  }

  const socket: Socket<ServerToClientEvents, ClientToServerEvents> = io(base, {
    path: REALTIME_PATH,
    transports: ['websocket'],
    auth: { token: accessToken, workspaceId },
    reconnectionDelay: 1_000,
    reconnectionDelayMax: 10_000,
    randomizationFactor: 0.5,
  });
  const print = (event: string, payload: unknown) =>
    console.log(
      `${new Date().toISOString().slice(11, 23)}  ${event.padEnd(20)} ${summarise(payload)}`,
    );

  socket.on('connect', () => print('connected', { socket: socket.id }));
  socket.on('disconnect', (reason) => print('disconnected', { reason }));
  socket.on('connect_error', (error: Error & { data?: HandshakeErrorData }) => {
    print('connect_error', error.data ?? { message: error.message });
    if (error.data?.code === 'UNAUTHENTICATED' || error.data?.code === 'WORKSPACE_NOT_FOUND') {
      socket.close();
      process.exitCode = 1;
    }
  });
  socket.on('connection_rejected', (payload: ConnectionRejectedPayload) =>
    print('connection_rejected', payload),
  );
  socket.on('server_shutdown', (payload) => print('server_shutdown', payload));
  socket.on('error', (payload) => print('error', payload));
  socket.on('heartbeat', ({ seq }) => socket.emit('heartbeat_response', { seq }));
  for (const event of DOMAIN_EVENTS) {
    (socket.on as (e: string, h: (p: unknown) => void) => void)(event, (payload) =>
      print(event, payload),
    );
  }
  process.on('SIGINT', () => {
    socket.close();
    process.exit(0);
  });
}

/** One line per event: the interesting fields, not the whole payload. */
function summarise(payload: unknown): string {
  if (typeof payload !== 'object' || payload === null) return String(payload);
  const inner = Object.values(payload as Record<string, unknown>).find(
    (v) => typeof v === 'object' && v !== null,
  ) as Record<string, unknown> | undefined;
  const source = inner ?? (payload as Record<string, unknown>);
  const fields = [
    'name',
    'title',
    'status',
    'kind',
    'content',
    'threshold',
    'reason',
    'message',
    'socket',
  ];
  const parts = fields
    .filter((f) => source[f] !== undefined)
    .map((f) => `${f}=${JSON.stringify(source[f]).slice(0, 80)}`);
  return parts.length > 0 ? parts.join(' ') : JSON.stringify(payload).slice(0, 160);
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
