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
    const response = host.switchToHttp().getResponse<HttpResponse>();
    const { status, body, unexpected, retryAfterSeconds } = toErrorResponse(exception);
    if (unexpected) {
      this.logger.error(
        exception instanceof Error ? exception : new Error(String(exception)),
        'Request failed',
      );
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
}
