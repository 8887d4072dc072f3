import { hashKey, matchQuery, QueryCache, QueryClient } from '@tanstack/react-query';
import { describe, expect, it } from 'vitest';

import { agentsQueryOptions } from '../../src/features/agents/api/get-agents';
import { agentKeys } from '../../src/features/agents/api/keys';
import { deliverablesQueryOptions } from '../../src/features/deliverables/api/get-deliverables';
import { deliverableKeys } from '../../src/features/deliverables/api/keys';
import { goalsQueryOptions } from '../../src/features/goals/api/get-goals';
import { goalKeys } from '../../src/features/goals/api/keys';
import { quotaStatusQueryOptions } from '../../src/features/quota/api/get-quota';
import { quotaKeys } from '../../src/features/quota/api/keys';
import { thinkingQueryOptions } from '../../src/features/thinking/api/get-thinking';
import { thinkingKeys } from '../../src/features/thinking/api/keys';
import { dashboardQueryOptions } from '../../src/features/workspaces/api/get-dashboard';
import { workspacesQueryOptions } from '../../src/features/workspaces/api/get-workspaces';
import { workspaceKeys } from '../../src/features/workspaces/api/keys';
import { workspaceScope } from '../../src/lib/query-keys';

const W1 = 'w-1';
const W2 = 'w-2';

/** Whether a filter on `prefix` reaches the query with `key` (what patch and refresh use). */
function reaches(prefix: readonly unknown[], key: readonly unknown[]): boolean {
  const cache = new QueryCache();
  const query = cache.build(new QueryClient({ queryCache: cache }), { queryKey: [...key] });
  return matchQuery({ queryKey: [...prefix] }, query);
}

describe('query key factories', () => {
  const reads = [
    { name: 'agents', key: agentsQueryOptions(W1).queryKey, lists: agentKeys.lists(W1) },
    {
      name: 'deliverables',
      key: deliverablesQueryOptions(W1).queryKey,
      lists: deliverableKeys.lists(W1),
    },
    { name: 'thinking', key: thinkingQueryOptions(W1).queryKey, lists: thinkingKeys.lists(W1) },
    { name: 'goals', key: goalsQueryOptions(W1).queryKey, lists: goalKeys.lists(W1) },
    {
      name: 'quota status',
      key: quotaStatusQueryOptions(W1).queryKey,
      lists: quotaKeys.status(W1),
    },
    {
      name: 'dashboard',
      key: dashboardQueryOptions(W1).queryKey,
      lists: workspaceKeys.dashboard(W1),
    },
  ];

  it.each(reads)(
    '$name: the hook reads under the key the live appliers patch',
    ({ key, lists }) => {
      expect(reaches(lists, key)).toBe(true);
      expect(reaches(workspaceScope(W1), key)).toBe(true);
    },
  );

  it.each(reads)('$name: a workspace never reaches another workspace’s views', ({ key }) => {
    expect(reaches(workspaceScope(W2), key)).toBe(false);
  });

  it('gives every view its own key', () => {
    const hashes = reads.map(({ key }) => hashKey(key));
    expect(new Set(hashes).size).toBe(reads.length);
  });

  it('keeps the list parameters in the key, so two page sizes are two entries', () => {
    expect(hashKey(agentsQueryOptions(W1, { limit: 20 }).queryKey)).not.toBe(
      hashKey(agentsQueryOptions(W1, { limit: 50 }).queryKey),
    );
  });

  it('reaches the workspace list (not workspace-scoped) through workspaceKeys.lists()', () => {
    const key = workspacesQueryOptions().queryKey;
    expect(reaches(workspaceKeys.lists(), key)).toBe(true);
    expect(reaches(workspaceScope(W1), key)).toBe(false);
  });
});
