import { InitialSchema1763800000000 } from './1763800000000-InitialSchema.js';
import { QuotaNotifications1764000000000 } from './1764000000000-QuotaNotifications.js';
import { ThinkingProcessLastStepAt1764100000000 } from './1764100000000-ThinkingProcessLastStepAt.js';
import { GoalMonitor1764200000000 } from './1764200000000-GoalMonitor.js';
import { DisplayJobs1764300000000 } from './1764300000000-DisplayJobs.js';
import { DisplayContentClaimsAndAiUsage1763900000000 } from './1763900000000-DisplayContentClaimsAndAiUsage.js';

/** Every migration, oldest first. Listed explicitly so the build and the tests load the same set. */
export const migrations = [
  InitialSchema1763800000000,
  DisplayContentClaimsAndAiUsage1763900000000,
  QuotaNotifications1764000000000,
  ThinkingProcessLastStepAt1764100000000,
  GoalMonitor1764200000000,
  DisplayJobs1764300000000,
];
