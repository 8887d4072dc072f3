import { QueryFailedError, QueryRunnerAlreadyReleasedError } from 'typeorm';
import { describe, expect, it } from 'vitest';
import { isDatabaseUnavailable } from './database-unavailable.js';

const withCode = (message: string, code: string) => Object.assign(new Error(message), { code });

describe('isDatabaseUnavailable', () => {
  it('recognises what pg and pg-pool throw while the server is away', () => {
    expect(
      isDatabaseUnavailable(withCode('connect ECONNREFUSED 127.0.0.1:5432', 'ECONNREFUSED')),
    ).toBe(true);
    expect(isDatabaseUnavailable(new Error('Connection terminated unexpectedly'))).toBe(true);
    expect(
      isDatabaseUnavailable(new Error('Connection terminated due to connection timeout')),
    ).toBe(true);
    expect(isDatabaseUnavailable(new Error('timeout exceeded when trying to connect'))).toBe(true);
    expect(
      isDatabaseUnavailable(
        withCode('terminating connection due to administrator command', '57P01'),
      ),
    ).toBe(true);
    expect(isDatabaseUnavailable(withCode('the database system is starting up', '57P03'))).toBe(
      true,
    );
    expect(isDatabaseUnavailable(withCode('connection failure', '08006'))).toBe(true);
    const aggregate = Object.assign(new AggregateError([withCode('x', 'ECONNREFUSED')], ''), {});
    expect(isDatabaseUnavailable(aggregate)).toBe(true);
  });

  it('takes a query runner TypeORM released on a connection error for a lost connection', () => {
    expect(isDatabaseUnavailable(new QueryRunnerAlreadyReleasedError())).toBe(true);
  });

  it('looks inside TypeORM’s QueryFailedError and a cause chain', () => {
    const cut = new QueryFailedError(
      'SELECT 1',
      [],
      new Error('Connection terminated unexpectedly'),
    );
    expect(isDatabaseUnavailable(cut)).toBe(true);
    expect(isDatabaseUnavailable(new Error('wrapped', { cause: withCode('', 'ECONNRESET') }))).toBe(
      true,
    );
  });

  it('leaves query errors and everything else alone', () => {
    const duplicate = new QueryFailedError('INSERT', [], withCode('duplicate key', '23505'));
    expect(isDatabaseUnavailable(duplicate)).toBe(false);
    expect(
      isDatabaseUnavailable(withCode('canceling statement due to statement timeout', '57014')),
    ).toBe(false);
    expect(isDatabaseUnavailable(new Error('Connection refused by the AI provider'))).toBe(false);
    expect(isDatabaseUnavailable(undefined)).toBe(false);
    expect(isDatabaseUnavailable('ECONNREFUSED')).toBe(false);
  });
});
