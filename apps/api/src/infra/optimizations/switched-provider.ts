import type { Provider, Type } from '@nestjs/common';
import type { OptimizationName } from '@orch/contracts';
import { Optimizations } from './optimizations.js';

/**
 * The one way an optimization chooses an implementation: `token` resolves, once
 * at boot, to `optimized` when the switch is on and to `baseline` when it is
 * off. Services inject the token and never read the switch themselves.
 *
 *   ...switchedProvider(AgentListReader, 'batching', {
 *     optimized: AgentsRepository,
 *     baseline: AgentsBaselineRepository,
 *   })
 */
export function switchedProvider<T>(
  token: abstract new (...args: never[]) => T,
  optimization: OptimizationName,
  implementations: { optimized: Type<T>; baseline: Type<T> },
): Provider[] {
  const { optimized, baseline } = implementations;
  return [
    optimized,
    baseline,
    {
      provide: token,
      inject: [Optimizations, optimized, baseline],
      useFactory: (optimizations: Optimizations, on: T, off: T) =>
        optimizations.isOn(optimization) ? on : off,
    },
  ];
}
