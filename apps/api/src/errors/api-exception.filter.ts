import { type ArgumentsHost, Catch, type ExceptionFilter, Logger } from '@nestjs/common';

import type { HttpResponse } from '../http/http-types';
import { toErrorResponse } from './error-response';

/** The one place errors become HTTP responses: `{ error, message, parameter? }` with the code's status. */
@Catch()
export class ApiExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('ApiExceptionFilter');

  catch(exception: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<HttpResponse>();
    const { status, body, unexpected } = toErrorResponse(exception);
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
    response.status(status).json(body);
  }
}
