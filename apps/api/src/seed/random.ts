import { createHash } from 'node:crypto';

/**
 * Deterministic ids and randomness for the seed. Every id is derived from a
 * key string such as `seed:42:agent:3:5`, so the same seed always produces the
 * same rows, in JavaScript and in SQL alike.
 */

/**
 * md5(key) shaped as an RFC 4122 version-4 UUID (version nibble 4, variant 8),
 * so strict validators accept it. `sqlSeedUuid` computes the same in Postgres.
 */
export function seedUuid(key: string): string {
  const hex = createHash('md5').update(key, 'utf8').digest('hex');
  const v4 = `${hex.slice(0, 12)}4${hex.slice(13, 16)}8${hex.slice(17)}`;
  return `${v4.slice(0, 8)}-${v4.slice(8, 12)}-${v4.slice(12, 16)}-${v4.slice(16, 20)}-${v4.slice(20)}`;
}

/** The SQL twin of `seedUuid`: `keyExpr` is a text expression. */
export function sqlSeedUuid(keyExpr: string): string {
  return `overlay(overlay(md5(${keyExpr}) placing '4' from 13) placing '8' from 17)::uuid`;
}

/** A 31-bit non-negative integer from a key: salts for the SQL-side hashing. */
export function hash31(key: string): number {
  return createHash('md5').update(key, 'utf8').digest().readUInt32BE(0) & 0x7fffffff;
}

/** A small seeded PRNG (mulberry32): fast, and plenty for picking phrases. */
export class Rng {
  private state: number;

  constructor(key: string) {
    this.state = createHash('md5').update(key, 'utf8').digest().readUInt32BE(0);
  }

  /** [0, 1) */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) | 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** An integer in [min, max], both inclusive. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(probability: number): boolean {
    return this.next() < probability;
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)];
  }

  /** `count` distinct items (all of them if there are fewer), in random order. */
  sample<T>(items: readonly T[], count: number): T[] {
    const copy = [...items];
    const n = Math.min(count, copy.length);
    for (let i = 0; i < n; i++) {
      const j = i + Math.floor(this.next() * (copy.length - i));
      [copy[i], copy[j]] = [copy[j], copy[i]];
    }
    return copy.slice(0, n);
  }
}

/** Fills `{name}` placeholders; unknown names stay as they are. */
export function fill(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (match, name: string) =>
    name in values ? String(values[name]) : match,
  );
}
