import type { Readable } from 'node:stream';

import { Agent, type Dispatcher } from 'undici';

import type { ChannelRequest } from './channel-request';
import type { HttpOutcome } from './delivery-verdict';

/** Bytes of a receiver's answer read at most: enough for any acknowledgement or error code. */
const MAX_ANSWER_BYTES = 16 * 1024;

/**
 * The undici `Agent` alerting uses unless one is injected: bounded connect, header and body
 * timeouts (docs/operations.md), keep-alive, HTTP/1.1. Close it on shutdown.
 */
export function createAlertHttpDispatcher(): Dispatcher {
  return new Agent({
    connect: { timeout: 5_000 },
    headersTimeout: 10_000,
    bodyTimeout: 10_000,
    keepAliveTimeout: 4_000,
    connections: 2,
    pipelining: 1,
    allowH2: false,
  });
}

/**
 * POSTs one message and reads the start of the answer, under a deadline for the whole exchange.
 * Never throws and never follows redirects (DingTalk answers 302 while it throttles). Errors are
 * reduced to their code: an error message could quote the URL, which is a secret.
 */
export async function postMessage(
  dispatcher: Dispatcher,
  request: ChannelRequest,
  timeoutMs: number,
): Promise<HttpOutcome> {
  const url = new URL(request.url);
  const controller = new AbortController();
  const deadline = setTimeout(() => {
    controller.abort();
  }, timeoutMs);
  try {
    const answer = await dispatcher.request({
      origin: url.origin,
      path: `${url.pathname}${url.search}`,
      method: 'POST',
      headers: request.headers,
      body: request.body,
      signal: controller.signal,
    });
    const retryAfter = answer.headers['retry-after'];
    return {
      kind: 'response',
      status: answer.statusCode,
      retryAfter: typeof retryAfter === 'string' ? retryAfter : null,
      body: (await readStart(answer.body, MAX_ANSWER_BYTES)).toString('utf8'),
    };
  } catch (error) {
    return { kind: 'network_error', code: controller.signal.aborted ? 'TIMEOUT' : errorCode(error) };
  } finally {
    clearTimeout(deadline);
  }
}

/** The first `limit` bytes of a body; the rest is not read (the stream is destroyed). */
function readStart(body: Readable, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    body.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      size += chunk.length;
      if (size >= limit) {
        body.destroy();
        resolve(Buffer.concat(chunks).subarray(0, limit));
      }
    });
    body.once('end', () => {
      resolve(Buffer.concat(chunks));
    });
    body.once('error', reject);
  });
}

function errorCode(error: unknown): string {
  if (typeof error === 'object' && error !== null) {
    const { code, cause } = error as { code?: unknown; cause?: unknown };
    if (typeof code === 'string' && /^[A-Z0-9_]+$/.test(code)) {
      return code;
    }
    if (cause !== undefined && cause !== error) {
      return errorCode(cause);
    }
  }
  return 'NETWORK_ERROR';
}
