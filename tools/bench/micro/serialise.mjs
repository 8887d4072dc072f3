// Serialising the largest uncached answer, the thinking list (10 processes × 20 steps, ~59 KB),
// with JSON.stringify against fast-json-stringify compiled from its response schema (what
// Fastify's serialiser does with a route's response schema). docs/hot-path.md quotes it.
// Run: node tools/bench/micro/serialise.mjs
import { Buffer } from 'node:buffer';
import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const fastJson = require('fast-json-stringify');

const at = (i) => new Date(Date.UTC(2026, 11, 1, 12, 0, 0) - i * 1000).toISOString();
const step = (processId, i) => ({
  id: randomUUID(),
  processId,
  kind: 'reasoning',
  content: `Step ${i}: weighed the evidence for the next action towards the goal and noted the risks "as quoted".`,
  createdAt: at(i),
});
const items = Array.from({ length: 10 }, (_, k) => {
  const id = randomUUID();
  return {
    id,
    workspaceId: randomUUID(),
    agentId: randomUUID(),
    title: `Process ${k}`,
    status: 'running',
    createdAt: at(100 + k),
    updatedAt: at(k),
    steps: Array.from({ length: 20 }, (_, i) => step(id, i)),
  };
});
const body = { items, nextCursor: 'eyJ0IjoiMjAyNi0xMi0wMVQxMjowMDowMC4wMDBaIn0' };

const str = { type: 'string' };
const stepSchema = {
  type: 'object',
  properties: { id: str, processId: str, kind: str, content: str, createdAt: str },
  required: ['id', 'processId', 'kind', 'content', 'createdAt'],
};
const processSchema = {
  type: 'object',
  properties: {
    id: str,
    workspaceId: str,
    agentId: str,
    title: str,
    status: str,
    createdAt: str,
    updatedAt: str,
    steps: { type: 'array', items: stepSchema },
  },
};
const schema = {
  type: 'object',
  properties: {
    items: { type: 'array', items: processSchema },
    nextCursor: { type: ['string', 'null'] },
  },
};
const compiled = fastJson(schema);
if (compiled(body) !== JSON.stringify(body)) throw new Error('the two serialisers disagree');

const bytes = Buffer.byteLength(JSON.stringify(body));
const timeOf = (serialise, n) => {
  const started = process.hrtime.bigint();
  for (let i = 0; i < n; i++) serialise(body);
  return Number(process.hrtime.bigint() - started) / 1e3 / n;
};
const rounds = { 'JSON.stringify': [], 'fast-json-stringify': [] };
for (let r = 0; r < 7; r++) {
  timeOf(JSON.stringify, 500);
  rounds['JSON.stringify'].push(timeOf(JSON.stringify, 5_000));
  timeOf(compiled, 500);
  rounds['fast-json-stringify'].push(timeOf(compiled, 5_000));
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
console.log(`thinking list, ${bytes} bytes; µs per serialisation, median of 7 alternating rounds:`);
for (const [name, xs] of Object.entries(rounds)) {
  console.log(
    `  ${name.padEnd(20)} ${median(xs).toFixed(1)} (${Math.min(...xs).toFixed(1)}–${Math.max(...xs).toFixed(1)})`,
  );
}
