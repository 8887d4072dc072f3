import 'reflect-metadata';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { describe, expect, it } from 'vitest';
import { DomainException } from '../../core/domain.exception.js';
import { createValidationPipe } from './validation.js';

class PageDto {
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  limit?: number;
}

const query = { type: 'query' as const, metatype: PageDto, data: undefined };
const body = { type: 'body' as const, metatype: PageDto, data: undefined };

describe('the validation pipe', () => {
  it('remembers an accepted query string: the same frozen instance the next time', async () => {
    const pipe = createValidationPipe();
    const first = (await pipe.transform({ limit: '20' }, query)) as PageDto;
    expect(first).toBeInstanceOf(PageDto);
    expect(first.limit).toBe(20);
    expect(Object.isFrozen(first)).toBe(true);
    expect(await pipe.transform({ limit: '20' }, query)).toBe(first);
    const other = await pipe.transform({ limit: '21' }, query);
    expect(other).not.toBe(first);
    expect((other as PageDto).limit).toBe(21);
  });

  it('refuses a bad query every time, and never remembers it', async () => {
    const pipe = createValidationPipe();
    for (let i = 0; i < 3; i++) {
      await expect(pipe.transform({ limit: '0' }, query)).rejects.toBeInstanceOf(DomainException);
      await expect(pipe.transform({ limit: '5', extra: 'x' }, query)).rejects.toMatchObject({
        details: [{ field: 'extra' }],
      });
    }
  });

  it('validates bodies every time (a body is never remembered)', async () => {
    const pipe = createValidationPipe();
    const a = await pipe.transform({ limit: 3 }, body);
    const b = await pipe.transform({ limit: 3 }, body);
    expect(a).not.toBe(b);
    expect(Object.isFrozen(a)).toBe(false);
  });
});
