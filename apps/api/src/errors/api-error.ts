/** Why the API refused a request; each code has its HTTP status in `API_ERROR_STATUS`. */
export type ApiErrorCode =
  | 'invalid_parameter'
  | 'invalid_request'
  | 'invalid_body'
  | 'payload_too_large'
  | 'unsupported_media_type'
  | 'not_found'
  | 'conflict'
  | 'unauthenticated'
  | 'forbidden'
  | 'rate_limited'
  | 'service_unavailable'
  | 'internal_error';

/** The HTTP status of each error code: the one place codes meet HTTP. */
export const API_ERROR_STATUS: Readonly<Record<ApiErrorCode, number>> = {
  invalid_parameter: 400,
  invalid_request: 400,
  invalid_body: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  rate_limited: 429,
  internal_error: 500,
  service_unavailable: 503,
};

/** What else an `ApiError` can say: its cause, and when to retry (the `Retry-After` header). */
export interface ApiErrorOptions extends ErrorOptions {
  readonly retryAfterSeconds?: number;
}

/** A refusal of the API, with its code, a message for people and, for bad input, the parameter at fault. */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  readonly retryAfterSeconds?: number;

  constructor(
    readonly code: ApiErrorCode,
    message: string,
    readonly parameter?: string,
    options?: ApiErrorOptions,
  ) {
    super(message, options);
    if (options?.retryAfterSeconds !== undefined) this.retryAfterSeconds = options.retryAfterSeconds;
  }

  static invalidParameter(parameter: string, message: string, options?: ErrorOptions): ApiError {
    return new ApiError('invalid_parameter', message, parameter, options);
  }

  static notFound(message: string): ApiError {
    return new ApiError('not_found', message);
  }

  static rateLimited(retryAfterSeconds: number): ApiError {
    return new ApiError(
      'rate_limited',
      'Too many requests; retry after the time in the Retry-After header',
      undefined,
      { retryAfterSeconds },
    );
  }
}

/** The JSON body of every error response. */
export interface ApiErrorBody {
  readonly error: ApiErrorCode;
  readonly message: string;
  readonly parameter?: string;
}
