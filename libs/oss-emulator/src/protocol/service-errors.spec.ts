import { faultError, noSuchBucket, signingRegionMismatch, tablesErrorTypeOf } from './service-errors';

describe('faultError', () => {
  it.each([
    ['InternalError', 500],
    ['ServiceUnavailable', 503],
    ['MetaOperationQpsLimitExceeded', 503],
    ['QpsLimitExceeded', 429],
  ] as const)('gives OSS %s its usual status %d', (code, status) => {
    expect(faultError('oss', code, undefined, undefined)).toMatchObject({ code, status });
  });

  it.each([
    ['InternalError', 'InternalServerErrorException', 500],
    ['ServiceUnavailable', 'ServiceUnavailableException', 503],
    ['MetaOperationQpsLimitExceeded', 'ServiceUnavailableException', 503],
    ['QpsLimitExceeded', 'TooManyRequestsException', 429],
  ] as const)('translates %s to the Tables %s', (code, tablesCode, status) => {
    const error = faultError('osstables', code, undefined, undefined);
    expect(error).toMatchObject({ code: tablesCode, status, tablesErrorType: tablesCode });
  });

  it('translates Tables codes to OSS codes on OSS endpoints', () => {
    expect(faultError('oss', 'TooManyRequestsException', undefined, undefined)).toMatchObject({
      code: 'QpsLimitExceeded',
      status: 429,
    });
  });

  it('keeps the rate-limit message for MetaOperationQpsLimitExceeded on Tables', () => {
    expect(faultError('osstables', 'MetaOperationQpsLimitExceeded', undefined, undefined).message).toBe(
      'Please reduce your request rate.',
    );
  });

  it('lets the rule override status and message', () => {
    expect(faultError('oss', 'ServiceUnavailable', 502, 'bad gateway')).toMatchObject({
      status: 502,
      message: 'bad gateway',
    });
  });
});

describe('tablesErrorTypeOf', () => {
  it('uses the explicit type, else one derived from the status', () => {
    expect(tablesErrorTypeOf(noSuchBucket('b'))).toBe('NotFoundException');
    expect(tablesErrorTypeOf(signingRegionMismatch('cn-beijing', 'cn-hangzhou'))).toBe('ForbiddenException');
    expect(tablesErrorTypeOf({ code: 'InvalidArgument', status: 400, message: '', ec: '' })).toBe(
      'BadRequestException',
    );
    expect(tablesErrorTypeOf({ code: 'X', status: 502, message: '', ec: '' })).toBe(
      'InternalServerErrorException',
    );
  });
});
