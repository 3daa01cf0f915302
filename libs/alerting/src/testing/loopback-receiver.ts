import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** A request a receiver got, as it arrived on the wire. */
export interface ReceivedRequest {
  readonly method: string;
  /** Path without the query. */
  readonly path: string;
  readonly query: URLSearchParams;
  readonly headers: IncomingHttpHeaders;
  /** The raw body: what signatures cover. */
  readonly body: string;
}

/** The receiver's answer. */
export interface ReceiverAnswer {
  readonly status: number;
  readonly body?: string;
  readonly headers?: Readonly<Record<string, string>>;
}

/** A real HTTP server on 127.0.0.1 that records requests and answers as told. */
export interface LoopbackReceiver {
  /** `http://127.0.0.1:<port>` */
  readonly origin: string;
  readonly requests: readonly ReceivedRequest[];
  answerWith(answer: (request: ReceivedRequest) => ReceiverAnswer | Promise<ReceiverAnswer>): void;
  /** Forgets the requests received so far. */
  clearRequests(): void;
  /** Stops listening: connections are refused, as with a receiver that is down. */
  down(): Promise<void>;
  /** Listens again on the same port. */
  up(): Promise<void>;
  close(): Promise<void>;
}

/** Starts a receiver; it answers 200 with an empty body until told otherwise. */
export async function startLoopbackReceiver(): Promise<LoopbackReceiver> {
  const requests: ReceivedRequest[] = [];
  let answer: (request: ReceivedRequest) => ReceiverAnswer | Promise<ReceiverAnswer> = () => ({
    status: 200,
  });
  const sockets = new Set<Socket>();
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const request: ReceivedRequest = {
        method: req.method ?? '',
        path: url.pathname,
        query: url.searchParams,
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      requests.push(request);
      void Promise.resolve(answer(request)).then((reply) => {
        res.writeHead(reply.status, reply.headers);
        res.end(reply.body ?? '');
      });
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  const listen = (port: number) =>
    new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
  const stop = () =>
    new Promise<void>((resolve) => {
      for (const socket of sockets) {
        socket.destroy();
      }
      server.close(() => {
        resolve();
      });
    });
  await listen(0);
  const { port } = server.address() as AddressInfo;
  let listening = true;
  return {
    origin: `http://127.0.0.1:${port.toString()}`,
    requests,
    answerWith: (next) => {
      answer = next;
    },
    clearRequests: () => {
      requests.length = 0;
    },
    down: async () => {
      listening = false;
      await stop();
    },
    up: async () => {
      await listen(port);
      listening = true;
    },
    close: async () => {
      if (listening) {
        listening = false;
        await stop();
      }
    },
  };
}

/** A consumer's verdict on a request's authenticity. */
export type Verification = { readonly ok: true } | { readonly ok: false; readonly reason: string };

/**
 * Verifies a generic-webhook request as a consumer would: recompute
 * `sha256=hex(HMAC-SHA256(secret, "{X-Seed-Timestamp}.{raw body}"))`, compare it with
 * `X-Signature` in constant time, and refuse timestamps more than `toleranceSeconds` from now.
 */
export function verifyWebhookRequest(
  request: ReceivedRequest,
  secret: string,
  nowSeconds: number,
  toleranceSeconds = 300,
): Verification {
  const timestamp = request.headers['x-seed-timestamp'];
  const signature = request.headers['x-signature'];
  if (typeof timestamp !== 'string' || typeof signature !== 'string') {
    return { ok: false, reason: 'missing timestamp or signature header' };
  }
  if (!/^\d+$/.test(timestamp) || Math.abs(nowSeconds - Number(timestamp)) > toleranceSeconds) {
    return { ok: false, reason: 'timestamp outside the tolerance' };
  }
  const expected = Buffer.from(
    `sha256=${createHmac('sha256', secret).update(`${timestamp}.${request.body}`).digest('hex')}`,
  );
  const given = Buffer.from(signature);
  return expected.length === given.length && timingSafeEqual(expected, given)
    ? { ok: true }
    : { ok: false, reason: 'signature mismatch' };
}

/**
 * Verifies a DingTalk custom-robot request as DingTalk does: the access token, then `timestamp`
 * (ms, within an hour) and `sign` = base64(HMAC-SHA256(secret, "{timestamp}\n{secret}")), read from
 * the URL-decoded query.
 */
export function verifyDingTalkRequest(
  request: ReceivedRequest,
  accessToken: string,
  secret: string | null,
  nowMs: number,
): Verification {
  if (request.query.get('access_token') !== accessToken) {
    return { ok: false, reason: 'token missing or unknown' };
  }
  if (secret === null) {
    return { ok: true };
  }
  const timestamp = request.query.get('timestamp');
  const sign = request.query.get('sign');
  if (timestamp === null || sign === null || !/^\d+$/.test(timestamp)) {
    return { ok: false, reason: 'missing timestamp or sign' };
  }
  if (Math.abs(nowMs - Number(timestamp)) > 60 * 60_000) {
    return { ok: false, reason: 'timestamp outside the hour' };
  }
  const expected = createHmac('sha256', secret).update(`${timestamp}\n${secret}`).digest('base64');
  return expected === sign ? { ok: true } : { ok: false, reason: 'sign not match' };
}

/** Answers like a DingTalk robot: errcode 0, or 310000 for a request that fails verification. */
export function dingTalkAnswer(verification: Verification): ReceiverAnswer {
  return {
    status: 200,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(
      verification.ok ? { errcode: 0, errmsg: 'ok' } : { errcode: 310000, errmsg: verification.reason },
    ),
  };
}

/** Answers like a Slack incoming webhook: `ok`, or 404 `no_service` for an unknown URL path. */
export function slackAnswer(request: ReceivedRequest, knownPath: string): ReceiverAnswer {
  return request.path === knownPath
    ? { status: 200, headers: { 'content-type': 'text/html' }, body: 'ok' }
    : { status: 404, headers: { 'content-type': 'text/html' }, body: 'no_service' };
}
