import type { ConnectionRegistry } from './connection-registry.js';
import { forceClose } from './force-close.js';

export interface HeartbeatSettings {
  heartbeatMs: number;
  heartbeatMisses: number;
  maxBacklog: number;
  messagesPerMinute: number;
}

/**
 * One interval for every socket (no per-socket timers): drops clients that
 * missed too many heartbeats or stopped reading (send backlog over the
 * bound), refills message budgets, sends the next heartbeat.
 */
export class Heartbeat {
  readonly disconnects = { heartbeat: 0, backlog: 0 };
  private timer: NodeJS.Timeout | undefined;
  private seq = 0;

  constructor(
    private readonly registry: ConnectionRegistry,
    private readonly settings: HeartbeatSettings,
  ) {}

  start(): void {
    this.timer = setInterval(() => this.tick(), this.settings.heartbeatMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  private tick(): void {
    const { heartbeatMisses, maxBacklog, messagesPerMinute, heartbeatMs } = this.settings;
    // Fractional: a short heartbeat interval must not raise the per-minute budget.
    const refill = (messagesPerMinute * heartbeatMs) / 60_000;
    const at = new Date().toISOString();
    for (const entry of this.registry.all()) {
      const socket = entry.socket;
      const backlog =
        (socket.conn as unknown as { writeBuffer?: unknown[] }).writeBuffer?.length ?? 0;
      if (backlog > maxBacklog) {
        this.disconnects.backlog += 1;
        socket.disconnect(true);
        forceClose(socket); // its queue goes with it, not after ws's close timeout
        continue;
      }
      if (entry.awaitingSeq !== undefined) {
        entry.missed += 1;
        if (entry.missed >= heartbeatMisses) {
          this.disconnects.heartbeat += 1;
          socket.disconnect(true);
          forceClose(socket);
          continue;
        }
      }
      entry.messageBudget = Math.min(messagesPerMinute, entry.messageBudget + refill);
      this.seq += 1;
      entry.awaitingSeq = this.seq;
      socket.emit('heartbeat', { seq: this.seq, at });
    }
  }
}
