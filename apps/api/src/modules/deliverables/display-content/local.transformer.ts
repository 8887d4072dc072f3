import type { DisplayContent } from '@orch/contracts';
import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type {
  DisplayTransformer,
  TransformInput,
  TransformOptions,
} from './display-transformer.js';
import { TransformFailedError } from './display-transformer.js';
import { transformLocally } from './render.js';

/** Bump when the local rendering changes: stored results made by the old one become stale. */
const LOCAL_RENDER_VERSION = 'local-render-v1';

/**
 * A real transformation (markdown -> sanitised HTML, summary, outline) with a
 * SIMULATED provider latency (AI_LOCAL_COST_MS), so the savings of serving
 * stored results are visible without an LLM. Deterministic.
 */
export class LocalTransformer implements DisplayTransformer {
  readonly provider = 'local';
  readonly model = 'local-markdown';
  readonly version: string;

  constructor(private readonly simulatedCostMs: number) {
    this.version = transformVersion(this.provider, this.model, LOCAL_RENDER_VERSION);
  }

  async transform(input: TransformInput, options: TransformOptions): Promise<DisplayContent> {
    await options.onProviderCall();
    try {
      if (this.simulatedCostMs > 0)
        await sleep(this.simulatedCostMs, undefined, { signal: options.signal });
    } catch (error) {
      throw new TransformFailedError('the transformation was aborted', { cause: error });
    }
    const result = transformLocally(input.title, input.markdown);
    if (!result.html) throw new TransformFailedError('the transformation produced no content');
    return result;
  }
}

/** A short hash of everything that decides the output. */
export function transformVersion(...parts: string[]): string {
  return createHash('sha256').update(parts.join('\u0000')).digest('hex').slice(0, 16);
}
