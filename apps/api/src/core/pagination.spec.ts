import { describe, expect, it } from 'vitest';
import { DomainException } from './domain.exception.js';
import { decodeCursor, encodeCursor, toPage } from './pagination.js';

describe('keyset cursors', () => {
  const position = {
    createdAt: new Date('2026-11-22T10:00:00.123Z'),
    id: '6f1c1c0e-0b7e-4c1e-9d43-0d6f1f5f7a01',
  };

  it('round-trip exactly, milliseconds included', () => {
    expect(decodeCursor(encodeCursor(position))).toEqual(position);
  });

  it.each([
    '',
    'garbage',
    Buffer.from('2026-11-22T10:00:00Z|not-a-uuid').toString('base64url'),
    encodeCursor(position) + 'x',
  ])('refuses %j with INVALID_CURSOR', (cursor) => {
    expect(() => decodeCursor(cursor)).toThrow(DomainException);
  });

  it('pages: the extra row only signals a next page', () => {
    const rows = [3, 2, 1].map((n) => ({
      createdAt: new Date(n * 1000),
      id: `00000000-0000-4000-8000-00000000000${n}`,
    }));
    const page = toPage(rows, 2, (r) => r.id);
    expect(page.items).toEqual([rows[0].id, rows[1].id]);
    expect(decodeCursor(page.nextCursor ?? undefined)).toEqual(rows[1]);
    expect(toPage(rows, 3, (r) => r.id).nextCursor).toBeNull();
  });
});
