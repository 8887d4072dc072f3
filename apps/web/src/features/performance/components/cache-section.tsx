import type { CacheStatsResponse } from '@orch/contracts';

import { BarChart } from '../../../components/charts/bar-chart';
import { EmptyState } from '../../../components/empty-state';
import { Stat } from '../../../components/stat';
import { count, percent, usd } from './format';

/** Hit rate per cache, and what stored display content saved in AI calls and money. */
export function CacheSection({ stats }: { stats: CacheStatsResponse }) {
  const caches = Object.entries(stats.caches);
  return (
    <>
      <p className="muted small">Tiers: {stats.tiers.join(' + ') || 'none'}</p>
      {caches.length === 0 ? (
        <EmptyState>No cache is configured.</EmptyState>
      ) : (
        <BarChart
          title="Cache hit rate per cache"
          max={1}
          data={caches.map(([name, entry]) => ({
            label: entry.enabled ? name : `${name} (off)`,
            value: entry.hitRate,
            display: `${percent(entry.hitRate)} of ${count(entry.hits + entry.misses)}`,
          }))}
          testId="perf-cache-chart"
        />
      )}
    </>
  );
}

export function AiSavingsSection({ stats }: { stats: CacheStatsResponse }) {
  const display = stats.displayContent;
  return (
    <>
      <dl className="stats">
        <Stat label="AI calls saved" value={count(display.aiCallsSaved)} testId="perf-ai-saved" />
        <Stat label="AI calls made" value={count(display.aiCalls)} />
        <Stat
          label="Estimated cost saved"
          value={usd(display.estimatedCostSavedUsd)}
          testId="perf-cost-saved"
        />
        <Stat
          label="Transformations"
          value={count(display.transformations)}
          note={`${count(display.failures)} failed · ${count(display.quotaBlocked)} blocked by quota`}
        />
      </dl>
      <BarChart
        title={`AI calls: ${display.aiCalls} made, ${display.aiCallsSaved} saved by stored display content`}
        data={[
          { label: 'calls made', value: display.aiCalls },
          { label: 'calls saved', value: display.aiCallsSaved },
        ]}
        testId="perf-ai-chart"
      />
      <p className="muted small">
        {display.provider} · {display.model} · transform {display.transformVersion}
      </p>
    </>
  );
}
