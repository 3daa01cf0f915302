import { signAcs3, type QueryParam, type SigningCredentials } from '@app/signing';
import { request } from 'undici';

/** An OpenAPI V3 (ACS3) call signed with our own signer and sent to the emulator with undici. */
export interface Acs3Call {
  readonly method?: string;
  /** Host header to send (the emulator routes on it), e.g. `kms.cn-hangzhou.aliyuncs.com`. */
  readonly host: string;
  readonly query?: readonly QueryParam[];
  readonly credentials: SigningCredentials;
  readonly signingTime: Date;
  readonly nonce: string;
  readonly action?: string;
  readonly version?: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string;
}

export interface Acs3Answer {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly json: Record<string, unknown>;
}

/** Sends a call signed as given (DescribeKey 2016-01-20 unless said); `mutate` may tamper first. */
export async function sendAcs3(
  baseUrl: string,
  call: Acs3Call,
  mutate?: (headers: Record<string, string>) => Record<string, string>,
): Promise<Acs3Answer> {
  const signed = signAcs3({
    request: {
      method: call.method ?? 'POST',
      path: '/',
      query: call.query ?? [],
      headers: { ...call.headers, host: call.host },
    },
    credentials: call.credentials,
    action: call.action ?? 'DescribeKey',
    version: call.version ?? '2016-01-20',
    signingTime: call.signingTime,
    nonce: call.nonce,
    ...(call.body === undefined ? {} : { body: call.body }),
  });
  const headers = mutate === undefined ? signed.headers : mutate(signed.headers);
  const response = await request(`${baseUrl}/${signed.queryString === '' ? '' : `?${signed.queryString}`}`, {
    method: (call.method ?? 'POST') as 'POST',
    headers,
    ...(call.body === undefined ? {} : { body: call.body }),
  });
  const text = await response.body.text();
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(response.headers)) {
    if (value !== undefined) flat[name] = Array.isArray(value) ? value.join(',') : value;
  }
  let json: Record<string, unknown> = {};
  try {
    json = JSON.parse(text) as Record<string, unknown>;
  } catch {
    json = { raw: text };
  }
  return { status: response.statusCode, headers: flat, json };
}
