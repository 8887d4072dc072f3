/** The smallest latency told apart: 10 µs. Anything faster counts in the first bucket. */
const MIN_MS = 0.01;
/** Buckets per doubling: each bucket is 2^(1/8) ≈ 9% wider than the one before. */
const PER_OCTAVE = 8;
/** 25 doublings above 10 µs: up to ~335 s; slower counts in the last bucket. */
const BUCKETS = 25 * PER_OCTAVE + 1;
const SCALE = PER_OCTAVE / Math.LN2;

/**
 * A log-bucketed latency histogram in a fixed 804 bytes, whatever the number of
 * observations: a percentile is read to within 9% (the bucket's upper bound, never above
 * the exact maximum, which is kept). Recording is one logarithm and one increment.
 */
export class LatencyHistogram {
  private readonly counts = new Uint32Array(BUCKETS);
  count = 0;
  sumMs = 0;
  maxMs = 0;

  record(ms: number): void {
    const i = ms <= MIN_MS ? 0 : Math.min(BUCKETS - 1, Math.ceil(Math.log(ms / MIN_MS) * SCALE));
    this.counts[i] += 1;
    this.count += 1;
    this.sumMs += ms;
    if (ms > this.maxMs) this.maxMs = ms;
  }

  /** The latency below which a share `p` (0..1) of the observations fall; 0 when empty. */
  percentile(p: number): number {
    if (this.count === 0) return 0;
    const rank = Math.max(1, Math.ceil(p * this.count));
    let seen = 0;
    for (let i = 0; i < BUCKETS; i++) {
      seen += this.counts[i]!;
      // The last bucket has no upper bound: what is in it is read as the maximum.
      if (seen >= rank) {
        return i === BUCKETS - 1 ? this.maxMs : Math.min(this.maxMs, MIN_MS * Math.exp(i / SCALE));
      }
    }
    return this.maxMs;
  }
}
