import { HttpException, NotFoundException, ServiceUnavailableException } from '@nestjs/common';
import { PersistenceError } from '@app/persistence';

import { ApiError } from './api-error';
import { DATABASE_RETRY_AFTER_SECONDS, toErrorResponse } from './error-response';

describe('toErrorResponse', () => {
  it('answers an invalid parameter with 400 naming the parameter', () => {
    expect(toErrorResponse(ApiError.invalidParameter('limit', 'must be an integer from 1 to 500'))).toEqual({
      status: 400,
      body: { error: 'invalid_parameter', message: 'must be an integer from 1 to 500', parameter: 'limit' },
      unexpected: false,
    });
  });

  it('answers an unknown id with 404', () => {
    expect(toErrorResponse(ApiError.notFound('Resource 9 does not exist'))).toMatchObject({
      status: 404,
      body: { error: 'not_found' },
    });
  });

  it('blames the cursor parameter for a cursor the storage layer refuses', () => {
    expect(toErrorResponse(new PersistenceError('INVALID_CURSOR', 'bad'))).toMatchObject({
      status: 400,
      body: { error: 'invalid_parameter', parameter: 'cursor' },
    });
  });

  it('answers a missing scan with 404', () => {
    expect(toErrorResponse(new PersistenceError('SCAN_NOT_FOUND', 'Scan 3 does not exist')).status).toBe(404);
  });

  it('treats storage input errors as the API’s own fault: 500 without details', () => {
    expect(toErrorResponse(new PersistenceError('INVALID_INPUT', 'limit out of range'))).toEqual({
      status: 500,
      body: { error: 'internal_error', message: 'The request failed on the server' },
      unexpected: true,
    });
  });

  it('answers an unknown route with 404', () => {
    expect(toErrorResponse(new NotFoundException('Cannot GET /nope')).body).toEqual({
      error: 'not_found',
      message: 'No such route',
    });
  });

  it('answers the rate limit with 429 and the seconds to wait', () => {
    expect(toErrorResponse(ApiError.rateLimited(42))).toMatchObject({
      status: 429,
      body: { error: 'rate_limited' },
      retryAfterSeconds: 42,
    });
  });

  it.each<[string, unknown]>([
    [
      'a refused connection',
      Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }),
    ],
    [
      'a refused connection under TypeORM’s query error',
      Object.assign(new Error('query failed'), {
        driverError: Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }),
      }),
    ],
    [
      'both address families refused (AggregateError)',
      new AggregateError([Object.assign(new Error('x'), { code: 'ECONNREFUSED' })], 'connect failed'),
    ],
    [
      'an administrator shutdown (57P01)',
      Object.assign(new Error('terminating connection'), { code: '57P01' }),
    ],
    [
      'a server starting up (57P03)',
      Object.assign(new Error('the database system is starting up'), { code: '57P03' }),
    ],
    ['a connection exception (08006)', Object.assign(new Error('connection failure'), { code: '08006' })],
    ['too many connections (53300)', Object.assign(new Error('too many clients'), { code: '53300' })],
    ['a connection that ended under a query', new Error('Connection terminated unexpectedly')],
    ['a pool that waited too long for a connection', new Error('timeout exceeded when trying to connect')],
    [
      'a connection timeout wrapped by the pool',
      new Error('Connection terminated due to connection timeout', { cause: new Error('timeout') }),
    ],
  ])('answers a database that cannot be reached (%s) with 503 and Retry-After', (_name, error) => {
    expect(toErrorResponse(error)).toEqual({
      status: 503,
      body: {
        error: 'service_unavailable',
        message: 'The database is unavailable; retry after the time in Retry-After',
      },
      unexpected: true,
      retryAfterSeconds: DATABASE_RETRY_AFTER_SECONDS,
    });
  });

  it.each<[string, unknown]>([
    ['a unique violation', Object.assign(new Error('duplicate key'), { code: '23505' })],
    ['a data exception', Object.assign(new Error('invalid input syntax'), { code: '22P02' })],
    [
      'a query canceled by statement_timeout',
      Object.assign(new Error('canceling statement'), { code: '57014' }),
    ],
  ])('keeps %s a 500: the database answered', (_name, error) => {
    expect(toErrorResponse(error).status).toBe(500);
  });

  it('keeps the status of other client errors', () => {
    expect(toErrorResponse(new HttpException('Payload Too Large', 413))).toMatchObject({
      status: 413,
      body: { error: 'invalid_request' },
    });
  });

  it('passes 503 through as service_unavailable', () => {
    expect(toErrorResponse(new ServiceUnavailableException('down')).body.error).toBe('service_unavailable');
  });

  it('hides anything unexpected behind a bare 500', () => {
    const response = toErrorResponse(new Error('password=hunter2 in a driver message'));
    expect(response.status).toBe(500);
    expect(JSON.stringify(response.body)).not.toContain('hunter2');
  });
});
