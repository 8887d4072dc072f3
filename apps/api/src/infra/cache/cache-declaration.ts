import type { OptimizationName } from '@orch/contracts';
import type { DomainEvent } from '../events/domain-events.js';

/**
 * How a module declares what it caches. The cache infrastructure names no
 * domain: each module owns a `<module>.cache.ts` with its tags and caches and
 * registers the caches with `AppCacheModule.forFeature([...])`.
 *
 * A tag names one kind of data of one workspace ("the agents of workspace W")
 * and the domain events that change it. A cached value depends on tags; an
 * event bumps the generation of every registered tag it changes, and a value
 * stored under older generations is never served again.
 */
export interface CacheTag {
  /** For logs and docs, e.g. `agents`. */
  readonly name: string;
  /** The domain events that change this data. */
  readonly changedBy: readonly DomainEvent['type'][];
  /** The tag of this data in one workspace: `ws:<id>:agents`. */
  of(workspaceId: string): string;
}

export function defineCacheTag(tag: CacheTag): CacheTag {
  return tag;
}

/** One cached read: its values, their keys, what they depend on, and its default bounds. */
export interface CacheDeclaration<Args> {
  /** Names the cache in the stats and in CACHE_<NAME>_MAX / CACHE_<NAME>_TTL_MS. */
  readonly name: string;
  /** The switch that turns this cache on (OPTIMIZATIONS); off: every read loads. */
  readonly optimization: OptimizationName;
  readonly defaults: { readonly maxEntries: number; readonly ttlMs: number };
  /** The key of the value for these arguments (unique within this cache). */
  key(args: Args): string;
  /** The workspace the value belongs to: its tags are that workspace's. */
  workspaceOf(args: Args): string;
  /** The data the value is made of: any change to one of these makes it stale. */
  readonly dependsOn: readonly CacheTag[];
}

export function defineCache<Args>(declaration: CacheDeclaration<Args>): CacheDeclaration<Args> {
  if (!/^[a-z][a-z0-9-]*$/.test(declaration.name)) {
    throw new Error(`cache name ${JSON.stringify(declaration.name)} must be lowercase kebab-case`);
  }
  return declaration;
}

/** The environment variable prefix of a cache's settings: `agents` -> `CACHE_AGENTS_`. */
export function cacheEnvPrefix(name: string): string {
  return `CACHE_${name.toUpperCase().replace(/-/g, '_')}_`;
}

/** Any declaration, whatever its arguments (the registry never calls `key` itself). */
export type AnyCacheDeclaration = CacheDeclaration<never>;
