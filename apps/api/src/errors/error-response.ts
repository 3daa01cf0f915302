import { ComplianceError, type ComplianceErrorCode } from '@app/compliance';
import { HttpException } from '@nestjs/common';
import { isDatabaseUnavailable, PersistenceError, type PersistenceErrorCode } from '@app/persistence';

import { API_ERROR_STATUS, ApiError, type ApiErrorBody, type ApiErrorCode } from './api-error';

/** What the client is told about a failed request. */
export interface ErrorResponse {
  readonly status: number;
  readonly body: ApiErrorBody;
  /** True for failures of the service itself: logged with their cause, never detailed to the client. */
  readonly unexpected: boolean;
  /** When the client may try again: the `Retry-After` header, in seconds. */
  readonly retryAfterSeconds?: number;
}

/**
 * Retry-After of a 503 while the database is unreachable: long enough not to hammer a restarting
 * server, short enough that a client comes back soon after a failover (which takes seconds).
 */
export const DATABASE_RETRY_AFTER_SECONDS = 5;

const INTERNAL: ErrorResponse = {
  status: API_ERROR_STATUS.internal_error,
  body: { error: 'internal_error', message: 'The request failed on the server' },
  unexpected: true,
};

/**
 * Maps whatever a request threw to its response: the domain codes of the API and of the storage
 * layer, a database that cannot be reached (503 with Retry-After), and Nest's own HTTP exceptions
 * (unknown route). Anything else is a 500 with a message that reveals nothing: details go to the log.
 */
export function toErrorResponse(exception: unknown): ErrorResponse {
  if (exception instanceof ApiError) {
    const response = respond(exception.code, exception.message, exception.parameter);
    return exception.retryAfterSeconds === undefined
      ? response
      : { ...response, retryAfterSeconds: exception.retryAfterSeconds };
  }
  if (isDatabaseUnavailable(exception)) {
    return {
      ...respond('service_unavailable', 'The database is unavailable; retry after the time in Retry-After'),
      retryAfterSeconds: DATABASE_RETRY_AFTER_SECONDS,
    };
  }
  if (exception instanceof PersistenceError) {
    return fromPersistence(exception.code, exception.message);
  }
  if (exception instanceof ComplianceError) {
    return fromCompliance(exception.code, exception.message);
  }
  if (exception instanceof HttpException) {
    return fromHttpException(exception);
  }
  return INTERNAL;
}

/** The compliance domain's refusals: who may approve (403) and what state allows it (409). */
function fromCompliance(code: ComplianceErrorCode, message: string): ErrorResponse {
  switch (code) {
    case 'SELF_APPROVAL':
    case 'NOT_THE_NAMED_APPROVER':
      return respond('forbidden', message);
    case 'EXCEPTION_NOT_PENDING':
    case 'EXCEPTION_NOT_REVOCABLE':
      return respond('conflict', message);
    // The API builds these inputs itself: a mismatch is its own fault.
    case 'INVALID_CHANGE':
    case 'FACTS_MISMATCH':
      return INTERNAL;
  }
}

function respond(code: ApiErrorCode, message: string, parameter?: string, status?: number): ErrorResponse {
  const resolved = status ?? API_ERROR_STATUS[code];
  return {
    status: resolved,
    body: parameter === undefined ? { error: code, message } : { error: code, message, parameter },
    unexpected: resolved >= 500,
  };
}

function fromPersistence(code: PersistenceErrorCode, message: string): ErrorResponse {
  switch (code) {
    case 'INVALID_CURSOR':
      return respond('invalid_parameter', message, 'cursor');
    case 'SCAN_NOT_FOUND':
    case 'EXCEPTION_NOT_FOUND':
      return respond('not_found', message);
    case 'EXCEPTION_CONFLICT':
      return respond('conflict', message);
    case 'SCAN_START_CONFLICT':
      return respond('service_unavailable', 'The scan could not be started right now; try again');
    // The API validates its input before the storage layer sees it: these are its own faults.
    case 'INVALID_INPUT':
    case 'SCAN_NOT_RUNNING':
    case 'INVALID_EVALUATION_OUTPUT':
      return INTERNAL;
  }
}

function fromHttpException(exception: HttpException): ErrorResponse {
  const status = exception.getStatus();
  switch (status) {
    case 404:
      return respond('not_found', 'No such route');
    case 429:
      return respond('rate_limited', 'Too many requests; retry later');
    case 401:
      return respond('unauthenticated', exception.message);
    case 403:
      return respond('forbidden', exception.message);
    case 503:
      return respond('service_unavailable', exception.message);
    default:
      return status >= 500 ? INTERNAL : respond('invalid_request', exception.message, undefined, status);
  }
}
