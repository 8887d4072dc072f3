import { type HandshakeErrorData, isUuid } from '@orch/contracts';
import type { TokenService } from '../auth/token.service.js';
import type { MembershipService } from '../workspaces/membership.service.js';
import type { AppServer, AppSocket } from './realtime-socket.js';

/**
 * Who may open a socket: a socket.io middleware (Nest guards do not run for a
 * gateway's connections) that checks `handshake.auth`'s token and the
 * user's membership of its workspace, and leaves `{ userId, workspaceId }` on
 * the socket. A refused handshake gets `connect_error` with a code and never
 * becomes a socket.
 */
export class HandshakeAuth {
  constructor(
    private readonly tokens: TokenService,
    private readonly membership: MembershipService,
  ) {}

  attach(server: AppServer): void {
    server.use((socket, next) => {
      this.authenticate(socket).then(
        () => next(),
        (error: Error) => next(error),
      );
    });
  }

  private async authenticate(socket: AppSocket): Promise<void> {
    const auth = (socket.handshake.auth ?? {}) as Record<string, unknown>;
    const { token, workspaceId } = auth;
    if (typeof token !== 'string' || !isUuid(workspaceId)) {
      throw handshakeError(
        'BAD_HANDSHAKE',
        'auth must be { token, workspaceId } with a UUID workspaceId',
      );
    }
    let userId: string;
    try {
      userId = (await this.tokens.verify(token)).userId;
    } catch {
      throw handshakeError('UNAUTHENTICATED', 'The token is invalid or has expired');
    }
    const access = await this.membership.resolve('workspace', workspaceId.toLowerCase(), userId);
    if (!access) throw handshakeError('WORKSPACE_NOT_FOUND', 'workspace not found');
    socket.data = { userId, workspaceId: access.workspaceId };
  }
}

/** socket.io sends `data` to the client with the `connect_error`. */
function handshakeError(code: HandshakeErrorData['code'], message: string): Error {
  const error = new Error(message) as Error & { data: HandshakeErrorData };
  error.data = { code, message };
  return error;
}
