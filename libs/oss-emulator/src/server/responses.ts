import { randomBytes } from 'node:crypto';
import type { ServerResponse } from 'node:http';

import { renderErrorXml } from '../protocol/oss-xml';
import { tablesErrorTypeOf, type ServiceError } from '../protocol/service-errors';
import { renderTablesError } from '../protocol/tables-json';

/** One request being answered: what every response header needs. */
export interface Exchange {
  readonly res: ServerResponse;
  readonly product: 'oss' | 'osstables';
  /** HostId of XML errors: the addressed host name. */
  readonly hostId: string;
  /** Real monotonic-enough start time, for `x-oss-server-time` (processing ms, as OSS sends it). */
  readonly startedAt: number;
}

export const XML_CONTENT_TYPE = 'application/xml';
export const JSON_CONTENT_TYPE = 'application/json';

/**
 * Request ids and `Date` values, made cheaply: 24 uppercase hex characters (OSS's length) from a
 * per-process prefix and a counter, and the RFC 1123 date formatted once per second.
 */
export class ResponseStamps {
  private readonly prefix = randomBytes(4).toString('hex').toUpperCase();
  private counter = 0;
  private cachedSecond = Number.NaN;
  private cachedDate = '';

  constructor(private readonly serverNow: () => number) {}

  nextRequestId(): string {
    this.counter += 1;
    return this.prefix + this.counter.toString(16).toUpperCase().padStart(16, '0');
  }

  date(): string {
    const now = this.serverNow();
    const second = Math.floor(now / 1000);
    if (second !== this.cachedSecond) {
      this.cachedSecond = second;
      this.cachedDate = new Date(second * 1000).toUTCString();
    }
    return this.cachedDate;
  }
}

function commonHeaders(
  stamps: ResponseStamps,
  exchange: Exchange,
  requestId = stamps.nextRequestId(),
): string[] {
  return [
    'Server',
    'AliyunOSS',
    'Date',
    stamps.date(),
    'x-oss-request-id',
    requestId,
    'x-oss-server-time',
    String(Date.now() - exchange.startedAt),
  ];
}

/** A response with a body (`Content-Length` set, so clients can refuse oversized ones early). */
export function sendBody(
  stamps: ResponseStamps,
  exchange: Exchange,
  status: number,
  contentType: string,
  body: Buffer | string,
  extraHeaders?: readonly string[],
): void {
  const buffer = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  const headers = commonHeaders(stamps, exchange);
  headers.push('Content-Type', contentType, 'Content-Length', String(buffer.length));
  if (extraHeaders !== undefined) headers.push(...extraHeaders);
  exchange.res.writeHead(status, headers);
  exchange.res.end(buffer);
}

/** 200/204 without a body. */
export function sendEmpty(stamps: ResponseStamps, exchange: Exchange, status: number): void {
  const headers = commonHeaders(stamps, exchange);
  if (status !== 204) headers.push('Content-Length', '0');
  exchange.res.writeHead(status, headers);
  exchange.res.end();
}

/** An error in the addressed product's form: XML `<Error>` (OSS) or JSON + `x-oss-error-type` (Tables). */
export function sendError(stamps: ResponseStamps, exchange: Exchange, error: ServiceError): void {
  const requestId = stamps.nextRequestId();
  const headers = commonHeaders(stamps, exchange, requestId);
  const body =
    exchange.product === 'oss'
      ? Buffer.from(renderErrorXml(error, requestId, exchange.hostId), 'utf8')
      : Buffer.from(renderTablesError(error.message), 'utf8');
  headers.push(
    'Content-Type',
    exchange.product === 'oss' ? XML_CONTENT_TYPE : JSON_CONTENT_TYPE,
    'Content-Length',
    String(body.length),
    'x-oss-ec',
    error.ec,
  );
  if (exchange.product === 'osstables') headers.push('x-oss-error-type', tablesErrorTypeOf(error));
  exchange.res.writeHead(error.status, headers);
  exchange.res.end(body);
}
