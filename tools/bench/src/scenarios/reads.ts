import { agentsFull, agentsLite } from './agents/scenario.js';
import { dashboard } from './dashboard/scenario.js';
import { deliverables } from './deliverables/scenario.js';
import { keysetDeep, keysetFirst } from './keyset/scenario.js';
import { thinking } from './thinking/scenario.js';
import type { ReadScenario } from './types.js';
import { workspace } from './workspace/scenario.js';

/** Every read, in the order measured and reported. */
export const READS: readonly ReadScenario[] = [
  workspace,
  dashboard,
  agentsFull,
  agentsLite,
  deliverables,
  thinking,
  keysetFirst,
  keysetDeep,
];
