import DataLoader from 'dataloader';
import { currentRequest } from '../http/request-context.js';

/**
 * A DataLoader that lives as long as the current request: every `load(key)`
 * made in the same tick is sent as one batch, and a key asked twice is fetched
 * once. Outside a request (jobs, scripts) each call gets a fresh, uncached one.
 * `name` must identify the batch function: loaders are shared by name.
 */
export function requestLoader<K, V>(
  name: string,
  batch: (keys: readonly K[]) => Promise<(V | null)[]>,
): DataLoader<K, V | null> {
  const context = currentRequest();
  if (!context) return new DataLoader(batch, { cache: false });
  let loader = context.loaders.get(name) as DataLoader<K, V | null> | undefined;
  if (!loader) {
    loader = new DataLoader(batch, { maxBatchSize: 1000 });
    context.loaders.set(name, loader);
  }
  return loader;
}
