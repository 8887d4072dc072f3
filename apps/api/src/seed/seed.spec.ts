import { describe, expect, it } from 'vitest';
import { parseCliArgs } from '../cli/seed.js';
import { buildDeliverable, thousands } from './planning/markdown.js';
import { AGENT_TEAM } from './pools/agents.js';
import { STEP_FOLLOW_UPS, STEP_TEMPLATES } from './pools/thinking.js';
import { fill, hash31, Rng, seedUuid, sqlSeedUuid } from './random.js';
import { DEMO_SCALE, validateScale } from './scale.js';
import { buildInsertSteps, STEP_KIND_CYCLE } from './writers/thinking-sql.js';

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-8[0-9a-f]{3}-[0-9a-f]{12}$/;

describe('seed ids and randomness', () => {
  it('derives the same version-4-shaped uuid from the same key', () => {
    const id = seedUuid('seed:1:process:3:7');
    expect(id).toMatch(UUID_V4);
    expect(seedUuid('seed:1:process:3:7')).toBe(id);
    expect(seedUuid('seed:2:process:3:7')).not.toBe(id);
    // Checked against PostgreSQL: md5 with nibbles 13 and 17 replaced.
    expect(id).toBe('3716713e-70d5-403b-80f0-66543c064c8a');
    expect(sqlSeedUuid('k')).toBe(
      "overlay(overlay(md5(k) placing '4' from 13) placing '8' from 17)::uuid",
    );
  });

  it('replays the same random sequence for the same key', () => {
    const a = new Rng('demo:agents:1');
    const b = new Rng('demo:agents:1');
    const seqA = Array.from({ length: 20 }, () => a.next());
    expect(Array.from({ length: 20 }, () => b.next())).toEqual(seqA);
    expect(seqA.every((x) => x >= 0 && x < 1)).toBe(true);
    expect(hash31('x')).toBeGreaterThanOrEqual(0);
    expect(hash31('x')).toBeLessThan(2 ** 31);
  });

  it('samples distinct items', () => {
    const picked = new Rng('s').sample(AGENT_TEAM, 5);
    expect(new Set(picked).size).toBe(5);
  });

  it('fills placeholders and leaves unknown ones', () => {
    expect(fill('{a} and {b}', { a: 1 })).toBe('1 and {b}');
    expect(thousands(1234567)).toBe('1,234,567');
  });
});

describe('deliverable markdown', () => {
  it('is deterministic and has sections', () => {
    const date = new Date('2026-11-20T10:00:00Z');
    const one = buildDeliverable(new Rng('d'), AGENT_TEAM[0], date);
    const two = buildDeliverable(new Rng('d'), AGENT_TEAM[0], date);
    expect(two).toEqual(one);
    expect(one.content).toMatch(/^# /);
    expect(one.content).toContain('## Summary');
    expect(one.content).toContain('## Key findings\n\n- ');
    expect(one.content).toContain('## Recommendations\n\n1. ');
    expect(one.content).not.toMatch(/\{\w+\}/);
  });

  it('sometimes has a table and sometimes a code block', () => {
    const docs = Array.from({ length: 40 }, (_, i) =>
      buildDeliverable(new Rng(`d${i}`), null, new Date(0)),
    );
    expect(docs.some((d) => d.content.includes('| --- |'))).toBe(true);
    expect(docs.some((d) => d.content.includes('```'))).toBe(true);
  });
});

describe('thinking steps SQL', () => {
  it('has the same number of templates for every kind', () => {
    expect(STEP_TEMPLATES).toHaveLength(STEP_KIND_CYCLE.length);
    expect(STEP_FOLLOW_UPS).toHaveLength(STEP_KIND_CYCLE.length);
    const statement = buildInsertSteps();
    expect(statement.sql).toContain('generate_series(1, sp.steps)');
    // Every $n the statement uses is passed.
    const used = new Set([...statement.sql.matchAll(/\$(\d+)/g)].map((m) => Number(m[1])));
    expect(Math.max(...used)).toBe(statement.params.length);
  });
});

describe('seed scale and CLI flags', () => {
  it('defaults to the demo scale', () => {
    const options = parseCliArgs([]);
    expect(options.scale).toEqual(DEMO_SCALE);
    expect(options.seed).toBe(1);
    expect(options.demo).toBe(false);
  });

  it('maps flags to the scale', () => {
    const options = parseCliArgs([
      '--workspaces',
      '10',
      '--processes',
      '1000',
      '--steps',
      '100',
      '--seed',
      '7',
      '--anchor',
      '2026-11-22T12:00:00Z',
    ]);
    expect(options.scale).toMatchObject({
      workspaces: 10,
      processesPerWorkspace: 1000,
      stepsPerProcess: 100,
      agentsPerWorkspace: 8,
    });
    expect(options.seed).toBe(7);
    expect(options.anchor?.toISOString()).toBe('2026-11-22T12:00:00.000Z');
  });

  it('rejects bad values with a message', () => {
    expect(() => parseCliArgs(['--steps', 'abc'])).toThrow('--steps must be a whole number');
    expect(() => parseCliArgs(['--workspaces', '0'])).toThrow('--workspaces must be at least 1');
    expect(() => parseCliArgs(['--agents', '0'])).toThrow('agentsPerWorkspace must be at least 1');
    expect(() => parseCliArgs(['--demo', '--steps', '3'])).toThrow('--demo');
    expect(() => parseCliArgs(['--nope'])).toThrow();
    expect(() => validateScale({ ...DEMO_SCALE, goalsPerWorkspace: -1 })).toThrow(
      'goalsPerWorkspace',
    );
  });
});
