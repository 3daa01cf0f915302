import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * The parts of Express's request and response the API uses (the project carries no
 * @types/express): Nest hands these objects to guards, filters and `@Res()` parameters.
 */
export interface HttpRequest extends IncomingMessage {
  readonly baseUrl: string;
  /** The client's address: the socket's, or from X-Forwarded-For as `trust proxy` allows. */
  readonly ip?: string;
  /** The route the router matched, once it has. */
  readonly route?: { readonly path?: unknown };
}

export interface HttpResponse extends ServerResponse {
  status(code: number): this;
  type(contentType: string): this;
  send(body: string): this;
  json(body: unknown): this;
}
