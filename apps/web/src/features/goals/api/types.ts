import type { Goal } from '@orch/contracts';

/**
 * A goal as the web shows it. The goal monitor is to store a short `reason` with each
 * evaluation (why a goal is at risk, say); the contract doesn't have the field yet, so it
 * is optional here and shown when the API sends it.
 */
export type GoalView = Goal & { reason?: string | null };
