import { CacheableMemory } from '@cacheable/memory';
import { renderMarkdown } from './render.js';

/**
 * What a pending deliverable shows meanwhile: its markdown rendered here, with
 * no AI, through the same sanitiser as every adapter's output. Rendered once
 * per content (keyed by its hash) in a bounded LRU, so a list that stays
 * pending for a while costs one render per item, not one per read.
 */
export class DisplayFallback {
  private readonly rendered = new CacheableMemory({ lruSize: 2_000, useClone: false });

  htmlFor(contentHash: string, markdown: string): string {
    const known = this.rendered.get<string>(contentHash);
    if (known !== undefined) return known;
    const html = renderMarkdown(markdown);
    this.rendered.set(contentHash, html);
    return html;
  }
}
