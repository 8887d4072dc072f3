import type { QueryRunner } from 'typeorm';

/**
 * Runs one statement and returns the number of rows it wrote. Every writer
 * sends a table's rows as one array per column, unnested in SQL: one
 * statement per table (or per batch), never a row at a time.
 */
export async function affected(q: QueryRunner, sql: string, params: unknown[]): Promise<number> {
  const useStructuredResult = true; // TypeORM's flag: { records, affected } instead of the rows
  const result = await q.query(sql, params, useStructuredResult);
  return result.affected ?? 0;
}
