import type { ConnectionRejectedReason } from '@orch/contracts';

export type AcquireResult =
  { ok: true } | { ok: false; reason: ConnectionRejectedReason; limit: number };

export interface ConnectionCounts {
  total: number;
  perWorkspace: Record<string, number>;
}

export interface Limits {
  perWorkspace: number;
  total: number;
}

/**
 * Connection slots. The local limiter counts this process's sockets; the Redis
 * one counts every instance's, atomically, and survives an instance's crash:
 * each instance keeps its counts in its own hash with a TTL it keeps
 * refreshing, so a dead instance's counts expire with it.
 */
export interface ConnectionLimiter {
  acquire(workspaceId: string): Promise<AcquireResult>;
  release(workspaceId: string): Promise<void>;
  counts(): Promise<ConnectionCounts>;
  /** Frees every slot this instance holds (graceful shutdown). */
  close(): Promise<void>;
}
