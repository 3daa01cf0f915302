import {
  encodeQueryString,
  signV1,
  signV4,
  type QueryParam,
  type SigningCredentials,
  type SigningTarget,
} from '@app/signing';
import { request, type Dispatcher } from 'undici';

/** A request to sign with our own signer and send to the emulator with undici (tests and bench). */
export interface SignedCall {
  readonly method: string;
  /** Host header to send (the emulator routes on it), e.g. `bucket.oss-cn-hangzhou.aliyuncs.com`. */
  readonly host: string;
  /** Path as sent (already percent-encoded), without the query. */
  readonly path: string;
  readonly query?: readonly QueryParam[];
  readonly target: SigningTarget;
  readonly credentials: SigningCredentials;
  readonly signingTime: Date;
  /** V4 signing region (ignored for V1). */
  readonly region?: string;
  readonly version?: 'v1' | 'v4';
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string;
}

export interface CallResult {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: string;
}

/** The headers (Authorization included) of a signed call, for replay or inspection. */
export function signCall(call: SignedCall): Record<string, string> {
  const signable = {
    method: call.method,
    target: call.target,
    query: call.query ?? [],
    headers: { ...call.headers },
  };
  if (call.version === 'v1') {
    return signV1({ request: signable, credentials: call.credentials, signingTime: call.signingTime })
      .headers;
  }
  return signV4({
    request: signable,
    credentials: call.credentials,
    region: call.region ?? 'cn-hangzhou',
    product: call.target.product,
    signingTime: call.signingTime,
  }).headers;
}

export function pathWithQuery(path: string, query: readonly QueryParam[] | undefined): string {
  const encoded = encodeQueryString(query ?? []);
  return encoded === '' ? path : `${path}?${encoded}`;
}

/** Sends a call signed as given; `mutate` may tamper with the signed headers first. */
export async function sendSigned(
  baseUrl: string,
  call: SignedCall,
  mutate?: (headers: Record<string, string>) => Record<string, string>,
  options: { readonly signal?: AbortSignal; readonly dispatcher?: Dispatcher } = {},
): Promise<CallResult> {
  const signed = signCall(call);
  const headers = mutate === undefined ? signed : mutate(signed);
  const response = await request(`${baseUrl}${pathWithQuery(call.path, call.query)}`, {
    method: call.method,
    headers: { ...headers, host: call.host },
    ...(call.body === undefined ? {} : { body: call.body }),
    ...(options.signal === undefined ? {} : { signal: options.signal }),
    ...(options.dispatcher === undefined ? {} : { dispatcher: options.dispatcher }),
  });
  const body = await response.body.text();
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(response.headers)) {
    if (value !== undefined) flat[name] = Array.isArray(value) ? value.join(',') : value;
  }
  return { status: response.statusCode, headers: flat, body };
}
