import type { AuditMetrics } from '@app/metrics';

import { consoleTarget } from '../console/console-assets';
import type { HttpRequest, HttpResponse } from '../http/http-types';

/** Label of requests no route matched, so arbitrary paths cannot grow the label set. */
const UNMATCHED_ROUTE = 'unmatched';
/** Label of the console's static files and its redirects (served before the router). */
const CONSOLE_ROUTE = '/console/*';

/**
 * Express middleware timing every request into the HTTP latency histogram, labelled with the route
 * template the router matched (`/v1/resources/:id`), never the raw path.
 */
export function requestMetrics(
  metrics: AuditMetrics,
): (request: HttpRequest, response: HttpResponse, next: () => void) => void {
  return (request, response, next) => {
    const started = process.hrtime.bigint();
    response.on('finish', () => {
      const route = request.route?.path;
      const template =
        typeof route === 'string'
          ? `${request.baseUrl}${route}`
          : consoleTarget(request.method ?? '', request.url ?? '').kind === 'none'
            ? UNMATCHED_ROUTE
            : CONSOLE_ROUTE;
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      metrics.observeHttpRequest(request.method ?? 'UNKNOWN', template, response.statusCode, seconds);
    });
    next();
  };
}
