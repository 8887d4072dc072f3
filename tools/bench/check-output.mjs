// Reads the harness's JSON (`npm run bench -- --out DIR` writes DIR/benchmarks.json) and
// fails unless it holds every phase with figures in it: CI runs the quick bench so the
// harness cannot rot, and an exit code alone would not show a phase that silently did nothing.
import { readFileSync } from 'node:fs';

const file = process.argv[2] ?? 'tmp/bench/benchmarks.json';
let run;
try {
  run = JSON.parse(readFileSync(file, 'utf8'));
} catch (error) {
  console.error(`no bench JSON at ${file}: ${error instanceof Error ? error.message : error}`);
  process.exit(1);
}

const problems = [];
const reads = run.reads ?? [];
if (reads.length === 0) problems.push('no read was measured');
for (const read of reads) {
  const sides = new Set(read.legs.map((leg) => leg.side));
  for (const side of ['baseline', 'optimized', 'ceiling']) {
    if (!sides.has(side)) problems.push(`${read.name}: no ${side} side`);
  }
  for (const leg of read.legs) {
    if (!(leg.summary.requests > 0)) problems.push(`${read.name} ${leg.side}: no request answered`);
  }
}
if (!run.drift || run.drift.sides.some((s) => !(s.round.requests > 0))) {
  problems.push('the limiter drift run measured nothing');
}
const mixed = Array.isArray(run.mixed) ? run.mixed : [];
if (
  mixed.length === 0 ||
  mixed.some((m) => m.sides.some((s) => s.rounds.every((r) => !(r.total.requests > 0))))
) {
  problems.push('the mixed workload measured nothing');
}
for (const m of mixed) {
  for (const side of ['baseline', 'on-read', 'optimized']) {
    if (!m.sides.some((s) => s.side === side))
      problems.push(`mixed at ${m.providerMs} ms: no ${side} side`);
  }
}
if (!run.realtime || !(run.realtime.broadcast.latency.count > 0)) {
  problems.push('the realtime phase measured no broadcast');
}
if (!run.scale || run.scale.length < 2) problems.push('the scale curve has fewer than two points');

console.log(
  `bench JSON: ${reads.length} reads, mixed ${mixed.length} run(s), realtime ${run.realtime ? 'yes' : 'no'}, ` +
    `${run.scale?.length ?? 0} scale points, whole run ${Math.round((run.meta?.runMs ?? 0) / 1000)} s`,
);
if (problems.length > 0) {
  console.error(`The bench output is incomplete:\n  ${problems.join('\n  ')}`);
  process.exit(1);
}
