import { type ArgumentsHost, Catch, type ExceptionFilter, Logger } from '@nestjs/common';

import type { HttpResponse } from '../http/http-types';
import { toErrorResponse } from './error-response';

/**
 * The one place errors become HTTP responses: `{ error, message, parameter? }` with the code's status,
 * `WWW-Authenticate` on a 401 and `Retry-After` when the error says when to retry.
 */
@Catch()
export class ApiExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('ApiExceptionFilter');

  catch(exception: unknown, host: ArgumentsHost): void {
    sendError(host.switchToHttp().getResponse<HttpResponse>(), exception, this.logger);
  }
}

/**
 * Writes the response of a failed request (see {@link toErrorResponse}); the filter's, and the
 * body parser's for what fails before a route is reached. Unexpected failures are logged.
 */
export function sendError(response: HttpResponse, exception: unknown, logger: Pick<Logger, 'error'>): void {
  const { status, body, unexpected, retryAfterSeconds } = toErrorResponse(exception);
  if (unexpected) {
    logger.error(exception instanceof Error ? exception : new Error(String(exception)), 'Request failed');
  }
  if (response.headersSent) {
    response.end();
    return;
  }
  if (status === 401) {
    response.setHeader('WWW-Authenticate', 'Bearer');
  }
  if (retryAfterSeconds !== undefined) {
    response.setHeader('Retry-After', retryAfterSeconds.toString());
  }
  response.status(status).json(body);
}
