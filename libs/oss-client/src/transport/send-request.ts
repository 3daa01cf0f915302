import type { Readable } from 'node:stream';

import type { Dispatcher } from 'undici';

import type { RawResponse } from '../parsing/service-error';
import { classifyTransportError } from '../resilience/retry-classification';

/** One HTTP request on the wire. `path` includes the encoded query; `headers` are final (signed). */
export interface WireRequest {
  readonly origin: string;
  readonly path: string;
  readonly headers: Readonly<Record<string, string>>;
}

export interface TransportLimits {
  /** Deadline of the whole attempt: connect, headers and body. */
  readonly attemptTimeoutMs: number;
  /** Largest body read; a longer one is aborted before it is parsed. */
  readonly maxResponseBytes: number;
}

/** Why no answer could be read. `code` is the system/undici error code, or ours. */
export interface TransportFailure {
  readonly kind: 'network' | 'timeout' | 'response_too_large';
  readonly code: string;
  readonly message: string;
  readonly cause?: unknown;
}

export type TransportOutcome =
  | { readonly ok: true; readonly response: RawResponse }
  | { readonly ok: false; readonly failure: TransportFailure };

function errorCode(error: unknown): string {
  if (typeof error === 'object' && error !== null) {
    const { code, cause } = error as { code?: unknown; cause?: unknown };
    if (typeof code === 'string') return code;
    // undici wraps socket errors (`fetch failed` style) with the system error as cause.
    if (cause !== undefined && cause !== error) return errorCode(cause);
  }
  return 'NetworkError';
}

function flattenHeaders(headers: Dispatcher.ResponseData['headers']): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) flat[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return flat;
}

/**
 * Collects a body up to `limit` bytes; beyond it the stream is destroyed (which aborts the
 * connection) and the answer is null, so no more than one chunk past the cap is ever held.
 */
function readCapped(body: Readable, limit: number): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    body.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        body.destroy();
        resolve(null);
      } else {
        chunks.push(chunk);
      }
    });
    body.once('end', () => {
      resolve(Buffer.concat(chunks, size));
    });
    body.once('error', reject);
  });
}

function tooLarge(limit: number): TransportOutcome {
  return {
    ok: false,
    failure: {
      kind: 'response_too_large',
      code: 'ResponseTooLarge',
      message: `response body exceeds ${limit} bytes; aborted unread`,
    },
  };
}

/**
 * Sends one GET and reads its body under a deadline and a size cap. The cap is enforced twice:
 * on a declared `Content-Length`, and while streaming (a chunked or lying answer is cut as soon as
 * it crosses the cap), so memory stays bounded whatever the server sends. Never throws.
 */
export async function sendRequest(
  dispatcher: Dispatcher,
  request: WireRequest,
  limits: TransportLimits,
): Promise<TransportOutcome> {
  const controller = new AbortController();
  const deadline = setTimeout(() => {
    controller.abort();
  }, limits.attemptTimeoutMs);
  try {
    const answer = await dispatcher.request({
      origin: request.origin,
      path: request.path,
      method: 'GET',
      headers: request.headers,
      signal: controller.signal,
    });
    const declared = Number(answer.headers['content-length']);
    if (Number.isFinite(declared) && declared > limits.maxResponseBytes) {
      answer.body.destroy();
      return tooLarge(limits.maxResponseBytes);
    }
    const body = await readCapped(answer.body, limits.maxResponseBytes);
    if (body === null) return tooLarge(limits.maxResponseBytes);
    return {
      ok: true,
      response: {
        status: answer.statusCode,
        statusText: answer.statusText,
        headers: flattenHeaders(answer.headers),
        body,
      },
    };
  } catch (error) {
    if (controller.signal.aborted) {
      return {
        ok: false,
        failure: {
          kind: 'timeout',
          code: 'AttemptTimeout',
          message: `no complete answer within ${limits.attemptTimeoutMs} ms`,
          cause: error,
        },
      };
    }
    const code = errorCode(error);
    const message = error instanceof Error ? error.message : String(error);
    return {
      ok: false,
      failure: {
        kind: classifyTransportError(code) === 'timeout' ? 'timeout' : 'network',
        code,
        message,
        cause: error,
      },
    };
  } finally {
    clearTimeout(deadline);
  }
}
