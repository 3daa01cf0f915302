import type { FaultErrorCode, OssFaultErrorCode, TablesFaultErrorCode } from '../faults/fault.types';

/**
 * One error answer, product-neutral; rendered as the OSS XML `<Error>` or the Tables JSON form.
 * `details` become extra XML elements, in insertion order, after `<HostId>`.
 *
 * Codes, statuses and messages follow docs/wire/oss.md §5; on OSS Tables every permission refusal is
 * `ForbiddenException` 403, as the GetTableBucketEncryption reference lists it. ECs marked
 * "emulator choice" are not published for that situation.
 */
export interface ServiceError {
  readonly code: string;
  readonly status: number;
  readonly message: string;
  readonly ec: string;
  readonly details?: Readonly<Record<string, string>>;
  /** Tables `x-oss-error-type`; derived from the status when absent. */
  readonly tablesErrorType?: string;
}

export function noSuchBucket(bucket: string): ServiceError {
  return {
    code: 'NoSuchBucket',
    status: 404,
    message: 'The specified bucket does not exist.',
    ec: '0015-00000101',
    details: { BucketName: bucket },
    tablesErrorType: 'NotFoundException',
  };
}

export function noSuchServerSideEncryptionRule(bucket: string): ServiceError {
  return {
    code: 'NoSuchServerSideEncryptionRule',
    status: 404,
    message: 'The server side encryption rule does not exist.',
    ec: '0005-00000004',
    details: { BucketName: bucket },
  };
}

export function tableBucketEncryptionNotFound(): ServiceError {
  return {
    code: 'NotFoundException',
    status: 404,
    message: 'The specified encryption configuration does not exist.',
    // Emulator choice: the OSS "no encryption rule" EC.
    ec: '0005-00000004',
    tablesErrorType: 'NotFoundException',
  };
}

/** The bucket lives in another region than the endpoint addressed (§2.6). */
export function wrongEndpoint(bucketEndpoint: string): ServiceError {
  return {
    code: 'AccessDenied',
    status: 403,
    message:
      'The bucket you are attempting to access must be addressed using the specified endpoint. ' +
      'Please send all future requests to this endpoint.',
    // Emulator choice.
    ec: '0003-00001403',
    details: { Endpoint: bucketEndpoint },
    tablesErrorType: 'ForbiddenException',
  };
}

/** The bucket belongs to another account. */
export function notBucketOwner(): ServiceError {
  return {
    code: 'AccessDenied',
    status: 403,
    message: 'The bucket you access does not belong to you.',
    // Emulator choice.
    ec: '0003-00000001',
    tablesErrorType: 'ForbiddenException',
  };
}

/** A `deny` in the fleet: the RAM policy forbids the action. */
export function deniedByPolicy(action: string): ServiceError {
  return {
    code: 'AccessDenied',
    status: 403,
    message: `You are not authorized to do this action (oss:${action}). You should be authorized by RAM.`,
    // Emulator choice.
    ec: '0003-00000301',
    tablesErrorType: 'ForbiddenException',
  };
}

/**
 * V4 scope region differs from the endpoint's region. What the service answers is unconfirmed
 * (§9); we answer like a signature mismatch, because a server that derives the scope from its own
 * endpoint computes a different signature, and we name the expected region to make it debuggable.
 */
export function signingRegionMismatch(scopeRegion: string, endpointRegion: string): ServiceError {
  return {
    code: 'SignatureDoesNotMatch',
    status: 403,
    message: `The request signature we calculated does not match the signature you provided. The signing region ${scopeRegion} is not the endpoint region ${endpointRegion}.`,
    ec: '0002-00000040',
    details: { Region: scopeRegion, ExpectedRegion: endpointRegion },
    tablesErrorType: 'ForbiddenException',
  };
}

export function invalidArgument(message: string, name: string, value: string): ServiceError {
  return {
    code: 'InvalidArgument',
    status: 400,
    message,
    // Emulator choice.
    ec: '0016-00000502',
    details: { ArgumentName: name, ArgumentValue: value },
    tablesErrorType: 'BadRequestException',
  };
}

export function malformedXml(): ServiceError {
  return {
    code: 'MalformedXML',
    status: 400,
    message: 'The XML you provided was not well-formed or did not validate against our published schema.',
    // Emulator choice.
    ec: '0016-00000702',
  };
}

export function invalidDigest(): ServiceError {
  return {
    code: 'InvalidDigest',
    status: 400,
    message: 'The Content-MD5 you specified was invalid.',
    // Emulator choice.
    ec: '0016-00000201',
    tablesErrorType: 'BadRequestException',
  };
}

export function entityTooLarge(limit: number): ServiceError {
  return {
    code: 'EntityTooLarge',
    status: 400,
    message: `Your proposed upload exceeds the maximum allowed size of ${limit} bytes.`,
    // Emulator choice.
    ec: '0016-00000401',
    tablesErrorType: 'BadRequestException',
  };
}

export function invalidBucketName(bucket: string): ServiceError {
  return {
    code: 'InvalidBucketName',
    status: 400,
    message: 'The specified bucket is not valid.',
    ec: '0015-00000001',
    details: { BucketName: bucket },
  };
}

export function methodNotAllowed(): ServiceError {
  return {
    code: 'MethodNotAllowed',
    status: 405,
    message: 'The specified method is not allowed against this resource.',
    ec: '0016-00000502',
    tablesErrorType: 'MethodNotAllowedException',
  };
}

export function badRequest(message: string): ServiceError {
  return {
    code: 'BadRequestException',
    status: 400,
    message,
    ec: '0016-00000502',
    tablesErrorType: 'BadRequestException',
  };
}

const OSS_FAULT_ERRORS: Record<OssFaultErrorCode, { status: number; message: string; ec: string }> = {
  InternalError: {
    status: 500,
    message: 'We encountered an internal error. Please try again.',
    ec: '0001-00000001',
  },
  ServiceUnavailable: {
    status: 503,
    message: 'Service is unavailable, please try again later.',
    ec: '0001-00000002',
  },
  MetaOperationQpsLimitExceeded: {
    status: 503,
    message: 'Please reduce your request rate.',
    ec: '0007-00000101',
  },
  QpsLimitExceeded: { status: 429, message: 'Please reduce your request rate.', ec: '0007-00000001' },
};

const TABLES_FAULT_ERRORS: Record<TablesFaultErrorCode, { status: number; message: string; ec: string }> = {
  InternalServerErrorException: {
    status: 500,
    message: 'We encountered an internal error. Please try again.',
    ec: '0001-00000001',
  },
  ServiceUnavailableException: {
    status: 503,
    message: 'Service is unavailable, please try again later.',
    ec: '0001-00000002',
  },
  TooManyRequestsException: { status: 429, message: 'Please reduce your request rate.', ec: '0007-00000001' },
};

const OSS_TO_TABLES: Record<OssFaultErrorCode, TablesFaultErrorCode> = {
  InternalError: 'InternalServerErrorException',
  ServiceUnavailable: 'ServiceUnavailableException',
  MetaOperationQpsLimitExceeded: 'ServiceUnavailableException',
  QpsLimitExceeded: 'TooManyRequestsException',
};

const TABLES_TO_OSS: Record<TablesFaultErrorCode, OssFaultErrorCode> = {
  InternalServerErrorException: 'InternalError',
  ServiceUnavailableException: 'ServiceUnavailable',
  TooManyRequestsException: 'QpsLimitExceeded',
};

function isOssFaultCode(code: FaultErrorCode): code is OssFaultErrorCode {
  return code in OSS_FAULT_ERRORS;
}

/** The error a fault injects, in the addressed product's vocabulary. */
export function faultError(
  product: 'oss' | 'osstables',
  code: FaultErrorCode,
  status: number | undefined,
  message: string | undefined,
): ServiceError {
  if (product === 'oss') {
    const ossCode = isOssFaultCode(code) ? code : TABLES_TO_OSS[code];
    const known = OSS_FAULT_ERRORS[ossCode];
    return { code: ossCode, status: status ?? known.status, message: message ?? known.message, ec: known.ec };
  }
  const tablesCode = isOssFaultCode(code) ? OSS_TO_TABLES[code] : code;
  const known = TABLES_FAULT_ERRORS[tablesCode];
  // A throttling code keeps its rate-limit message on the Tables side too.
  const text =
    message ?? (code === 'MetaOperationQpsLimitExceeded' ? OSS_FAULT_ERRORS[code].message : known.message);
  return {
    code: tablesCode,
    status: status ?? known.status,
    message: text,
    ec: known.ec,
    tablesErrorType: tablesCode,
  };
}

/** The Tables `x-oss-error-type` for an error (§5.3). */
export function tablesErrorTypeOf(error: ServiceError): string {
  if (error.tablesErrorType !== undefined) return error.tablesErrorType;
  switch (error.status) {
    case 400:
      return 'BadRequestException';
    case 403:
      return 'ForbiddenException';
    case 404:
      return 'NotFoundException';
    case 405:
      return 'MethodNotAllowedException';
    case 409:
      return 'ConflictException';
    case 429:
      return 'TooManyRequestsException';
    case 503:
      return 'ServiceUnavailableException';
    default:
      return error.status >= 500 ? 'InternalServerErrorException' : 'BadRequestException';
  }
}

/**
 * ListTables or GetTableEncryption naming a namespace the table bucket does not have: the GO2
 * DeleteNamespace fixture (oss/tables/client_mock_test.go) answers 404 with this message and
 * x-oss-ec 0015-00000101.
 */
export function noSuchNamespace(): ServiceError {
  return {
    code: 'NotFoundException',
    status: 404,
    message: 'The specified namespace does not exist.',
    ec: '0015-00000101',
    tablesErrorType: 'NotFoundException',
  };
}

/**
 * GetTableEncryption naming a table the namespace does not have. No source shows this answer; we
 * assume the wording of its siblings (emulator choice, EC too).
 */
export function noSuchTable(): ServiceError {
  return {
    code: 'NotFoundException',
    status: 404,
    message: 'The specified table does not exist.',
    ec: '0015-00000101',
    tablesErrorType: 'NotFoundException',
  };
}
