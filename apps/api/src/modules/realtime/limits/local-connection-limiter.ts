import type {
  AcquireResult,
  ConnectionCounts,
  ConnectionLimiter,
  Limits,
} from './connection-limiter.js';

/** This process's sockets, counted in memory. */
export class LocalConnectionLimiter implements ConnectionLimiter {
  private readonly byWorkspace = new Map<string, number>();
  private total = 0;

  constructor(private readonly limits: Limits) {}

  async acquire(workspaceId: string): Promise<AcquireResult> {
    return this.tryAcquire(workspaceId);
  }

  /** Synchronous: also the fallback of the Redis limiter. */
  tryAcquire(workspaceId: string): AcquireResult {
    if (this.total >= this.limits.total)
      return { ok: false, reason: 'global_limit', limit: this.limits.total };
    const current = this.byWorkspace.get(workspaceId) ?? 0;
    if (current >= this.limits.perWorkspace) {
      return { ok: false, reason: 'workspace_limit', limit: this.limits.perWorkspace };
    }
    this.byWorkspace.set(workspaceId, current + 1);
    this.total += 1;
    return { ok: true };
  }

  async release(workspaceId: string): Promise<void> {
    this.releaseSync(workspaceId);
  }

  releaseSync(workspaceId: string): void {
    const current = this.byWorkspace.get(workspaceId) ?? 0;
    if (current <= 0) return;
    if (current === 1) this.byWorkspace.delete(workspaceId);
    else this.byWorkspace.set(workspaceId, current - 1);
    this.total -= 1;
  }

  async counts(): Promise<ConnectionCounts> {
    return this.snapshot();
  }

  snapshot(): ConnectionCounts {
    return { total: this.total, perWorkspace: Object.fromEntries(this.byWorkspace) };
  }

  async close(): Promise<void> {
    this.byWorkspace.clear();
    this.total = 0;
  }
}
