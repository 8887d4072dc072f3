import type { AgentProfile } from '../pools/agents.js';
import {
  ANALYSIS_SENTENCES,
  CODE_SNIPPETS,
  DELIVERABLE_KINDS,
  FINDINGS,
  METRICS,
  NEXT_STEPS,
  RECOMMENDATIONS,
  SUMMARY_SENTENCES,
} from '../pools/deliverables.js';
import { SOURCES, TOPICS } from '../pools/topics.js';
import { fill, type Rng } from '../random.js';

export interface DeliverableText {
  title: string;
  /** Markdown: headings, paragraphs, lists, sometimes a table or a code block. */
  content: string;
}

/** A deliverable's title and multi-section markdown body, from the phrase pools. */
export function buildDeliverable(
  rng: Rng,
  author: AgentProfile | null,
  date: Date,
): DeliverableText {
  const topic = rng.pick(TOPICS);
  const kind = rng.pick(DELIVERABLE_KINDS);
  const title = `${kind}: ${capitalise(topic)}`;
  const vars = () => ({
    topic,
    source: rng.pick(SOURCES),
    n: rng.int(3, 48),
    m: thousands(rng.int(200, 9000)),
  });
  const sentences = (pool: readonly string[], count: number) =>
    rng
      .sample(pool, count)
      .map((s) => fill(s, vars()))
      .join(' ');

  const out: string[] = [`# ${title}`, ''];
  const byline = author ? `${author.name} (${author.role}, ${author.model})` : 'the workspace team';
  out.push(`_Prepared by ${byline} on ${date.toISOString().slice(0, 10)}._`, '');

  out.push('## Summary', '', sentences(SUMMARY_SENTENCES, rng.int(2, 4)), '');

  out.push('## Key findings', '');
  for (const finding of rng.sample(FINDINGS, rng.int(3, 5))) out.push(`- ${fill(finding, vars())}`);
  out.push('');

  out.push('## Analysis', '');
  // One draw for the whole section, so no sentence repeats across paragraphs.
  const analysis = rng.sample(ANALYSIS_SENTENCES, rng.int(3, 9)).map((t) => fill(t, vars()));
  for (let i = 0; i < analysis.length; i += 3) out.push(analysis.slice(i, i + 3).join(' '), '');

  if (rng.chance(0.45)) {
    out.push('### Key numbers', '', '| Metric | Last period | This period | Change |');
    out.push('| --- | ---: | ---: | ---: |');
    for (const metric of rng.sample(METRICS, rng.int(3, 5))) {
      const before = rng.int(120, 9800);
      const after = Math.round(before * (0.75 + rng.next() * 0.6));
      const change = ((after - before) / before) * 100;
      const sign = change >= 0 ? '+' : '−';
      out.push(
        `| ${metric} | ${thousands(before)} | ${thousands(after)} | ${sign}${Math.abs(change).toFixed(1)}% |`,
      );
    }
    out.push('');
  }

  if (rng.chance(0.3)) {
    const snippet = rng.pick(CODE_SNIPPETS);
    const slug = topic
      .replace(/^the /, '')
      .replace(/[^a-z0-9]+/gi, '_')
      .toLowerCase();
    out.push('### How we measured it', '', `\`\`\`${snippet.lang}`);
    out.push(fill(snippet.code, { slug, n: rng.int(4, 12) }), '```', '');
  }

  out.push('## Recommendations', '');
  rng
    .sample(RECOMMENDATIONS, rng.int(2, 4))
    .forEach((r, i) => out.push(`${i + 1}. ${fill(r, vars())}`));
  out.push('');

  if (rng.chance(0.5)) {
    out.push('## Next steps', '');
    for (const step of rng.sample(NEXT_STEPS, rng.int(1, 3))) out.push(`- [ ] ${step}`);
    out.push('');
  }

  out.push(`> Sources: ${rng.sample(SOURCES, rng.int(2, 3)).join('; ')}.`);
  return { title, content: out.join('\n') + '\n' };
}

export function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** 12345 -> "12,345", independent of the runtime's locale data. */
export function thousands(value: number): string {
  return String(value).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}
