import { describe, expect, it } from 'vitest';
import { normaliseSql, StatementStats } from './statement-stats.js';

describe('normaliseSql', () => {
  it('folds placeholders, literals, IN-lists and whitespace into one statement', () => {
    expect(
      normaliseSql("SELECT *\n  FROM t WHERE id = 'it''s' AND n IN ($1, $2, $3) LIMIT 20"),
    ).toBe('SELECT * FROM t WHERE id = ? AND n IN (?) LIMIT ?');
    expect(normaliseSql('SELECT * FROM t WHERE n IN ($1)')).toBe('SELECT * FROM t WHERE n IN (?)');
  });
});

describe('StatementStats', () => {
  it('counts the IN-lists of every length as one statement, with its timings', () => {
    const stats = new StatementStats();
    for (let n = 1; n <= 50; n++) {
      const list = Array.from({ length: n }, (_, i) => `$${i + 1}`).join(', ');
      stats.record(`SELECT * FROM agents WHERE id IN (${list})`, n);
      stats.record(`SELECT * FROM agents WHERE id IN (${list})`, n);
    }
    expect(stats.slowest(10)).toEqual([
      {
        sql: 'SELECT * FROM agents WHERE id IN (?)',
        count: 100,
        totalMs: 2 * ((50 * 51) / 2),
        meanMs: 25.5,
        p95Ms: 48,
        maxMs: 50,
      },
    ]);
  });

  it('stays bounded: 500 statements however many distinct texts arrive, each still counted once', () => {
    const stats = new StatementStats();
    // 5,000 distinct texts (past the memo's 2,000) of 5,000 distinct statements.
    for (let i = 0; i < 5_000; i++) stats.record(`SELECT c${i} FROM t WHERE id = $1`, 1);
    const kept = stats.slowest(1_000);
    expect(kept).toHaveLength(500);
    expect(kept.every((e) => e.count === 1)).toBe(true);
  });

  it('normalises a text again after the memo started over, to the statement it counted before', () => {
    const stats = new StatementStats();
    // 2,100 texts: the memo starts over at the 2,001st and holds c2000-c2099; the stats keep
    // the last 500 statements, c1600-c2099.
    for (let i = 0; i < 2_100; i++) stats.record(`SELECT c${i} FROM t WHERE id = $1`, 1);
    stats.record('SELECT c1999 FROM t WHERE id = $1', 3);
    expect(
      stats.slowest(1_000).find((e) => e.sql === 'SELECT c1999 FROM t WHERE id = ?'),
    ).toMatchObject({ count: 2, totalMs: 4 });
    expect(stats.slowest(1_000)).toHaveLength(500);
  });
});
