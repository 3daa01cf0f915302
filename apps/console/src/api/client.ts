import createClient from 'openapi-fetch';

import { currentKey } from '../session';
import type { paths } from './schema';

/** Why a call to the API failed: its HTTP status (0 when it could not be reached) and error code. */
export class ApiFailure extends Error {
  override readonly name = 'ApiFailure';

  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly parameter?: string,
  ) {
    super(message);
  }
}

/** Attempts of one request the API answers 429 to; each waits for its Retry-After first. */
const RATE_LIMIT_ATTEMPTS = 4;
/** The longest Retry-After honoured before giving up, so the page never hangs for minutes. */
const MAX_RETRY_AFTER_SECONDS = 20;

let unauthorized: () => void = () => undefined;

/** Called whenever the API refuses the key (401): the app then asks for a key again. */
export function whenUnauthorized(handler: () => void): void {
  unauthorized = handler;
}

function pause(milliseconds: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = window.setTimeout(resolve, milliseconds);
    signal.addEventListener(
      'abort',
      () => {
        window.clearTimeout(timer);
        reject(signal.reason as Error);
      },
      { once: true },
    );
  });
}

/** fetch that waits out the API's rate limit (429 + Retry-After) a few times before giving up. */
async function send(request: Request): Promise<Response> {
  for (let attempt = 1; ; attempt += 1) {
    let response: Response;
    try {
      response = await fetch(request.clone());
    } catch (error) {
      if (request.signal.aborted) throw error;
      throw new ApiFailure(0, 'unreachable', 'The API could not be reached. Is the server running?');
    }
    if (response.status !== 429 || attempt === RATE_LIMIT_ATTEMPTS) return response;
    // Seconds, as the API sends it; anything else (an HTTP date, nothing) counts as one second.
    const retryAfter = Number(response.headers.get('retry-after'));
    const seconds = Number.isFinite(retryAfter) && retryAfter >= 1 ? retryAfter : 1;
    if (seconds > MAX_RETRY_AFTER_SECONDS) return response;
    await pause(seconds * 1000, request.signal);
  }
}

/** The typed client of this server's API (paths and shapes from its OpenAPI document). */
export const api = createClient<paths>({ baseUrl: window.location.origin, fetch: send });

api.use({
  onRequest({ request }) {
    const key = currentKey();
    if (key !== null && !request.headers.has('Authorization')) {
      request.headers.set('Authorization', `Bearer ${key}`);
    }
    return request;
  },
  onResponse({ response }) {
    if (response.status === 401 && currentKey() !== null) unauthorized();
    return response;
  },
});

/** The failure an error response stands for (its body in the API’s error shape, when it is). */
export function failureOf(status: number, body: unknown): ApiFailure {
  if (typeof body === 'object' && body !== null) {
    const { error, message, parameter } = body as Record<string, unknown>;
    if (typeof error === 'string' && typeof message === 'string') {
      return new ApiFailure(status, error, message, typeof parameter === 'string' ? parameter : undefined);
    }
  }
  return new ApiFailure(status, 'http_error', `The API answered HTTP ${status.toString()}`);
}

/** The body of a successful call, or an `ApiFailure` naming why it failed. */
export async function must<Data>(
  call: Promise<{ data?: Data; error?: unknown; response: Response }>,
): Promise<Data> {
  const { data, error, response } = await call;
  if (error !== undefined || data === undefined || !response.ok) throw failureOf(response.status, error);
  return data;
}

/** A keyset page as every list route returns it. */
export interface Page<Item> {
  readonly items: readonly Item[];
  readonly nextCursor: string | null;
}

/**
 * Every item of a list, following `nextCursor` page after page; `onProgress` hears the count so
 * far. Stops at `maxItems` (then `complete` is false).
 */
export async function allPages<Item>(
  fetchPage: (cursor: string | undefined) => Promise<Page<Item>>,
  options: { onProgress?: (count: number) => void; maxItems?: number } = {},
): Promise<{ items: Item[]; complete: boolean }> {
  const items: Item[] = [];
  let cursor: string | undefined;
  for (;;) {
    const page = await fetchPage(cursor);
    items.push(...page.items);
    options.onProgress?.(items.length);
    if (page.nextCursor === null) return { items, complete: true };
    if (options.maxItems !== undefined && items.length >= options.maxItems) return { items, complete: false };
    cursor = page.nextCursor;
  }
}

/** A message for a person, from whatever a call threw. */
export function describeFailure(error: unknown): string {
  if (error instanceof ApiFailure) {
    if (error.status === 403) return 'Your key’s role may not do this.';
    if (error.status === 429) return 'The API is rate-limiting this address; wait a minute and try again.';
    return error.message;
  }
  return error instanceof Error ? error.message : String(error);
}
