import type { OptimizationName } from '@orch/contracts';
import { OPTIMIZATION_DESCRIPTIONS } from '@orch/contracts';

/**
 * Which optimizations this process runs with (OPTIMIZATIONS=all | none | a,b).
 * Each one has a naive twin, kept apart from the optimized code, that a
 * typical first version would have: the same build measures before and after.
 */
export class Optimizations {
  constructor(private readonly enabled: ReadonlySet<OptimizationName>) {}

  isOn(name: OptimizationName): boolean {
    return this.enabled.has(name);
  }

  list(): { name: OptimizationName; enabled: boolean; description: string }[] {
    return (Object.keys(OPTIMIZATION_DESCRIPTIONS) as OptimizationName[]).map((name) => ({
      name,
      enabled: this.enabled.has(name),
      description: OPTIMIZATION_DESCRIPTIONS[name],
    }));
  }
}
