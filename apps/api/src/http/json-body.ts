import { Logger } from '@nestjs/common';

import { ApiError } from '../errors/api-error';
import { sendError } from '../errors/api-exception.filter';
import type { HttpRequest, HttpResponse } from './http-types';

/** The largest request body the API reads. */
export const JSON_BODY_LIMIT_BYTES = 16 * 1024;

const logger = new Logger('JsonBody');

/**
 * Refuses a request that carries a body other than JSON (415), before the JSON parser, which would
 * silently skip it and leave the route to guess.
 */
export function requireJsonBody(request: HttpRequest, response: HttpResponse, next: () => void): void {
  const mediaType = (request.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  if (hasBody(request) && mediaType !== 'application/json') {
    sendError(
      response,
      new ApiError(
        'unsupported_media_type',
        'The request body must be JSON (Content-Type: application/json)',
        'body',
      ),
      logger,
    );
    return;
  }
  next();
}

/**
 * Express error middleware after the JSON parser: its refusals (malformed JSON, too large, an
 * unsupported charset) become the API's error body. The message never quotes the body: the
 * parser's own (`Unexpected token ... "{bad json" is not valid JSON`) would.
 */
export function jsonBodyErrors(
  error: unknown,
  _request: HttpRequest,
  response: HttpResponse,
  next: (error: unknown) => void,
): void {
  const refusal = bodyParserRefusal(error);
  if (refusal === null) {
    next(error);
    return;
  }
  sendError(response, refusal, logger);
}

/** The API's error for a body parser failure (by its `type`), or null for anything else. */
export function bodyParserRefusal(error: unknown): ApiError | null {
  if (typeof error !== 'object' || error === null || !('type' in error) || typeof error.type !== 'string') {
    return null;
  }
  switch (error.type) {
    case 'entity.too.large':
      return new ApiError(
        'payload_too_large',
        `The request body is larger than ${(JSON_BODY_LIMIT_BYTES / 1024).toString()} KiB`,
        'body',
      );
    case 'charset.unsupported':
    case 'encoding.unsupported':
      return new ApiError(
        'unsupported_media_type',
        'The request body must be JSON in UTF-8, without a content encoding',
        'body',
      );
    case 'entity.parse.failed':
      return new ApiError('invalid_body', 'The request body is not valid JSON', 'body');
    case 'request.aborted':
    case 'request.size.invalid':
      return new ApiError('invalid_body', 'The request body ended before its announced length', 'body');
    default:
      return null;
  }
}

function hasBody(request: HttpRequest): boolean {
  const length = request.headers['content-length'];
  return request.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}
