import { classifyServiceError, classifyTransportError, isThrottling } from './retry-classification';

describe('classifyServiceError', () => {
  it.each([
    ['RequestTimeTooSkewed', 403, 'clock_skew'],
    ['InvalidAccessKeyId', 403, 'credentials'],
    ['SecurityTokenExpired', 403, 'credentials'],
    ['MetaOperationQpsLimitExceeded', 503, 'throttle'],
    ['QpsLimitExceeded', 429, 'throttle'],
    ['TotalQpsLimitExceeded', 503, 'throttle'],
    ['ServiceUnavailable', 503, 'throttle'],
    ['ServiceUnavailableException', 503, 'throttle'],
    ['TooManyRequestsException', 429, 'throttle'],
    ['ThrottlingException', 400, 'throttle'],
    ['Too Many Requests', 429, 'throttle'],
    ['InternalError', 500, 'transient'],
    ['Bad Gateway', 502, 'transient'],
    ['Gateway Timeout', 504, 'transient'],
    ['AccessDenied', 403, 'terminal'],
    ['NoSuchBucket', 404, 'terminal'],
    ['NoSuchServerSideEncryptionRule', 404, 'terminal'],
    ['InvalidArgument', 400, 'terminal'],
    ['SignatureDoesNotMatch', 403, 'terminal'],
    ['Conflict', 409, 'terminal'],
    ['InvalidTimeStamp.Expired', 400, 'clock_skew'],
    ['InvalidAccessKeyId.NotFound', 404, 'credentials'],
    ['InvalidSecurityToken.Expired', 400, 'credentials'],
    ['InvalidSecurityToken.MismatchWithAccessKey', 400, 'credentials'],
    ['MissingSecurityToken', 400, 'credentials'],
    ['Throttling', 400, 'throttle'],
    ['Throttling.User', 400, 'throttle'],
    ['InternalFailure', 500, 'transient'],
    ['ServiceUnavailableTemporary', 503, 'transient'],
    ['Forbidden.KeyNotFound', 404, 'terminal'],
    ['Forbidden.NoPermission', 403, 'terminal'],
    ['IncompleteSignature', 400, 'terminal'],
  ])('classifies %s (%i) as %s', (code, status, expected) => {
    expect(classifyServiceError({ code, httpStatus: status })).toBe(expected);
  });

  it('decides on the code before the status', () => {
    expect(classifyServiceError({ code: 'RequestTimeTooSkewed', httpStatus: 500 })).toBe('clock_skew');
  });

  // OSS Tables answers every refusal as ForbiddenException; what was refused is in the EC and message.
  it.each([
    [
      '0002-00000504',
      'The difference between the request time and the current time is too large.',
      'clock_skew',
    ],
    [null, 'The difference between the request time and the current time is too large.', 'clock_skew'],
    ['0002-00000504', '', 'clock_skew'],
    ['0002-00000007', 'The security token you provided has expired.', 'credentials'],
    [null, 'The security token you provided has expired.', 'credentials'],
    ['0002-00000003', 'The OSS Access Key Id you provided does not exist in our records.', 'credentials'],
    ['0002-00000002', '', 'credentials'],
    ['0003-00000301', 'You do not have the required permissions for this request.', 'terminal'],
    [null, 'You do not have the required permissions for this request.', 'terminal'],
  ])('reads a Tables ForbiddenException with EC %s and message "%s" as %s', (ec, message, expected) => {
    expect(classifyServiceError({ code: 'ForbiddenException', httpStatus: 403, ec, message })).toBe(expected);
  });

  it('never reads a skew or credentials out of a message on anything but a refusal (403)', () => {
    const message = 'The difference between the request time and the current time is too large.';
    expect(classifyServiceError({ code: 'BadRequestException', httpStatus: 400, message })).toBe('terminal');
  });
});

describe('isThrottling', () => {
  it('treats any 429 as throttling whatever its code', () => {
    expect(isThrottling('SomethingNew', 429)).toBe(true);
    expect(isThrottling('InternalError', 500)).toBe(false);
  });
});

describe('classifyTransportError', () => {
  it.each([
    ['ECONNRESET', 'transient'],
    ['EPIPE', 'transient'],
    ['ECONNREFUSED', 'transient'],
    ['UND_ERR_SOCKET', 'transient'],
    ['UND_ERR_CLOSED', 'transient'],
    ['AttemptTimeout', 'timeout'],
    ['UND_ERR_CONNECT_TIMEOUT', 'timeout'],
    ['UND_ERR_HEADERS_TIMEOUT', 'timeout'],
    ['UND_ERR_BODY_TIMEOUT', 'timeout'],
    ['ENOTFOUND', 'terminal'],
    ['CERT_HAS_EXPIRED', 'terminal'],
  ])('classifies %s as %s', (code, expected) => {
    expect(classifyTransportError(code)).toBe(expected);
  });
});
