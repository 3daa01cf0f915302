import { isDatabaseUnavailable } from './database-unavailable';

const withCode = (code: string, message = 'x'): Error => Object.assign(new Error(message), { code });

describe('isDatabaseUnavailable', () => {
  it.each([
    ['ECONNREFUSED', withCode('ECONNREFUSED')],
    ['ECONNRESET', withCode('ECONNRESET')],
    ['ETIMEDOUT', withCode('ETIMEDOUT')],
    ['ENOTFOUND (the host name does not resolve)', withCode('ENOTFOUND')],
    ['57P01 admin_shutdown', withCode('57P01')],
    ['57P02 crash_shutdown', withCode('57P02')],
    ['57P03 cannot_connect_now', withCode('57P03')],
    ['08006 connection_failure', withCode('08006')],
    ['08P01 protocol_violation', withCode('08P01')],
    ['53300 too_many_connections', withCode('53300')],
    ['a connection ended under a query', new Error('Connection terminated unexpectedly')],
    ['the pool waiting too long', new Error('timeout exceeded when trying to connect')],
    [
      'a client broken by an earlier error',
      new Error('Client has encountered a connection error and is not queryable'),
    ],
    ['a code under TypeORM’s driverError', Object.assign(new Error('q'), { driverError: withCode('57P01') })],
    ['a code in the cause', new Error('outer', { cause: withCode('ECONNREFUSED') })],
    ['a code in an AggregateError', new AggregateError([withCode('ECONNREFUSED')], 'both families failed')],
  ])('recognises %s', (_name, error) => {
    expect(isDatabaseUnavailable(error)).toBe(true);
  });

  it.each([
    ['23505 unique_violation', withCode('23505')],
    ['22P02 invalid_text_representation', withCode('22P02')],
    ['57014 query_canceled', withCode('57014')],
    ['42P01 undefined_table', withCode('42P01')],
    ['a plain error', new Error('Connection terminated by a typo in this sentence')],
    ['a string', 'ECONNREFUSED'],
    ['null', null],
  ])('leaves %s alone: the database answered, or this is no database error', (_name, error) => {
    expect(isDatabaseUnavailable(error)).toBe(false);
  });

  it('stops following causes that loop', () => {
    const looped: Error & { cause?: unknown } = new Error('a');
    looped.cause = looped;
    expect(isDatabaseUnavailable(looped)).toBe(false);
  });
});
