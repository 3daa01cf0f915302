import { HttpException, NotFoundException, ServiceUnavailableException } from '@nestjs/common';
import { PersistenceError } from '@app/persistence';
import { ThrottlerException } from '@nestjs/throttler';

import { ApiError } from './api-error';
import { toErrorResponse } from './error-response';

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

  it('answers an unknown route with 404 and the rate limit with 429', () => {
    expect(toErrorResponse(new NotFoundException('Cannot GET /nope')).body).toEqual({
      error: 'not_found',
      message: 'No such route',
    });
    expect(toErrorResponse(new ThrottlerException()).status).toBe(429);
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
