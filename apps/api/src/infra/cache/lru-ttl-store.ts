/**
 * The in-process tier: a bounded LRU with a TTL per entry, O(1) per operation
 * (a Map keeps insertion order; a hit moves the entry to the end). Counts
 * evictions and expiries exactly; the clock is injectable for tests.
 */
export interface StoredEntry<V> {
  value: V;
  expiresAt: number;
  /** The generations of the entry's tags when it was loaded. */
  tagGenerations: number[];
}

export class LruTtlStore<V> {
  private readonly entries = new Map<string, StoredEntry<V>>();
  evictions = 0;
  expirations = 0;

  constructor(
    readonly maxEntries: number,
    readonly ttlMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  get(key: string): StoredEntry<V> | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt <= this.now()) {
      this.entries.delete(key);
      this.expirations += 1;
      return undefined;
    }
    // Most recently used goes last.
    this.entries.delete(key);
    this.entries.set(key, entry);
    return entry;
  }

  set(key: string, value: V, tagGenerations: number[]): void {
    this.entries.delete(key);
    this.entries.set(key, { value, tagGenerations, expiresAt: this.now() + this.ttlMs });
    while (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next().value as string;
      this.entries.delete(oldest);
      this.evictions += 1;
    }
  }

  delete(key: string): void {
    this.entries.delete(key);
  }

  /** Drops expired entries; how many. */
  purgeExpired(): number {
    const now = this.now();
    let purged = 0;
    for (const [key, entry] of this.entries) {
      if (entry.expiresAt <= now) {
        this.entries.delete(key);
        purged += 1;
      }
    }
    this.expirations += purged;
    return purged;
  }

  clear(): void {
    this.entries.clear();
  }

  get size(): number {
    return this.entries.size;
  }
}
