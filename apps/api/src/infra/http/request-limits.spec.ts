import { describe, expect, it } from 'vitest';
import { bodyProblem, JSON_DEPTH_MAX, nestsDeeperThan } from './request-limits.js';

const nested = (levels: number): unknown => {
  let value: unknown = 1;
  for (let i = 0; i < levels; i++) value = i % 2 === 0 ? [value] : { a: value };
  return value;
};

describe('nestsDeeperThan', () => {
  it('counts arrays and objects alike, scalars not at all', () => {
    expect(nestsDeeperThan({ a: 1, b: 'x' }, 1)).toBe(false);
    expect(nestsDeeperThan({ a: [1] }, 1)).toBe(true);
    expect(nestsDeeperThan(nested(JSON_DEPTH_MAX), JSON_DEPTH_MAX)).toBe(false);
    expect(nestsDeeperThan(nested(JSON_DEPTH_MAX + 1), JSON_DEPTH_MAX)).toBe(true);
  });

  it('finds the deep branch beside shallow ones and survives a million levels without recursion', () => {
    expect(nestsDeeperThan({ shallow: [1, 2], deep: nested(20) }, 16)).toBe(true);
    expect(nestsDeeperThan(JSON.parse('['.repeat(1_000_000) + ']'.repeat(1_000_000)), 16)).toBe(
      true,
    );
  });
});

describe('bodyProblem', () => {
  it('refuses NUL and unpaired surrogates in values and keys, and keeps paired ones', () => {
    expect(bodyProblem({ email: 'a\uD800@b.c' }, 16)).toContain('surrogates');
    expect(bodyProblem({ list: ['x', 'y\uDFFF'] }, 16)).toContain('surrogates');
    expect(bodyProblem({ ['k\u0000']: 'v' }, 16)).toContain('NUL');
    expect(bodyProblem({ content: 'a\u0000b' }, 16)).toContain('NUL');
    expect(bodyProblem({ content: '🧪 ok, é' }, 16)).toBeNull();
  });
});
