import type { INestApplicationContext } from '@nestjs/common';
import { IoAdapter } from '@nestjs/platform-socket.io';
import type { Server, ServerOptions } from 'socket.io';

/**
 * socket.io on the API's own port with the app's settings: websocket
 * transport only (several instances then need no sticky sessions), a
 * handshake deadline, a small message size limit, no client bundle.
 */
export class RealtimeIoAdapter extends IoAdapter {
  constructor(
    app: INestApplicationContext,
    private readonly overrides: Partial<ServerOptions>,
  ) {
    super(app);
  }

  override createIOServer(port: number, options?: ServerOptions): Server {
    return super.createIOServer(port, { ...options, ...this.overrides } as ServerOptions) as Server;
  }
}
