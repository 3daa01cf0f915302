/**
 * Second, independent check of our ACS3-HMAC-SHA256 signatures against the official Alibaba Cloud
 * TypeScript SDK, over randomised requests (fast-check):
 * - `@alicloud/openapi-util`'s `getAuthorization` (the signing step of every V3 SDK call) signs the
 *   same request object as ours: byte-identical Authorization, and its hash and HMAC of our
 *   canonical request and string to sign agree with ours;
 * - `@alicloud/openapi-client` makes real RPC calls (KMS DescribeKey's shape: POST `/`, query
 *   parameters, optional form body, AccessKey or STS) to a loopback server that records them. Our
 *   signer, given the date and nonce the SDK chose and the headers it sent, produces the same
 *   Authorization, and our verifier accepts the request as received.
 * Query parameter names are drawn from RFC 3986 unreserved characters: the SDK signs names
 * unencoded, where the documented rule (and ours) encodes them, so reserved characters in names
 * would make the two differ by design (docs/wire/kms-and-acs3.md §1.2). Values are arbitrary.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import OpenApi, * as $OpenApi from '@alicloud/openapi-client';
import OpenApiUtil from '@alicloud/openapi-util';
import * as $Util from '@alicloud/tea-util';
import fc from 'fast-check';
import { ACS3_ALGORITHM, acs3StringToSign, computeAcs3Signature, sha256Hex } from './acs3-canonical-request';
import { acs3Authorization, signAcs3 } from './acs3-signer';
import { verifyAcs3Request } from './acs3-verifier';
import { decodeQueryString } from './canonical-query';
import { parseIsoSeconds } from './dates';
import type { QueryParam } from './types';
import { uriEncode } from './uri-encode';

const UNRESERVED_NAME = fc.stringMatching(/^[A-Za-z0-9._~-]{1,12}$/);
const valueChar = fc.oneof(
  fc.constantFrom(
    ' ',
    '+',
    '/',
    '%',
    '=',
    '&',
    '?',
    '#',
    '*',
    '!',
    "'",
    '(',
    ')',
    ':',
    ';',
    ',',
    '~',
    'é',
    '中',
    '😀',
  ),
  fc.string({ unit: 'grapheme', minLength: 1, maxLength: 1 }),
);
const anyValue = fc.string({ unit: valueChar, maxLength: 12 });
const headerValue = fc.stringMatching(/^[!-~]([ -~]{0,10}[!-~])?$/);
const uniqueQuery = fc.uniqueArray(fc.tuple(UNRESERVED_NAME, anyValue), {
  maxLength: 5,
  selector: ([name]) => name,
});

interface Captured {
  readonly method: string;
  readonly path: string;
  readonly rawQuery: string;
  readonly headers: Record<string, string[]>;
  readonly body: Buffer;
}

function one(headers: Record<string, string[]>, name: string): string {
  const values = headers[name];
  if (values?.length !== 1) throw new Error(`expected exactly one ${name} header`);
  return values[0]!;
}

describe('ACS3 parity with @alicloud/openapi-util getAuthorization', () => {
  const request = fc.record({
    method: fc.constantFrom('GET', 'POST', 'PUT', 'DELETE'),
    pathSegments: fc.array(fc.string({ unit: valueChar, minLength: 1, maxLength: 6 }), { maxLength: 3 }),
    query: uniqueQuery,
    headers: fc.dictionary(
      fc.constantFrom(
        'host',
        'content-type',
        'x-acs-action',
        'x-acs-custom',
        'X-Acs-Custom',
        'user-agent',
        'accept',
      ),
      headerValue,
    ),
    payload: fc.string({ maxLength: 20 }).map((body) => sha256Hex(body)),
    secret: fc.string({ minLength: 1, maxLength: 30 }),
  });

  it('gives a byte-identical Authorization and agrees on the hash and HMAC steps', () => {
    fc.assert(
      fc.property(request, (r) => {
        const path = `/${r.pathSegments.join('/')}`;
        const ours = acs3Authorization({
          request: { method: r.method, path, query: r.query, headers: r.headers },
          accessKeyId: 'LTAI5tParity',
          accessKeySecret: r.secret,
          hashedPayload: r.payload,
        });
        const peer = OpenApiUtil.getAuthorization(
          {
            method: r.method,
            // The SDK takes the path already encoded (its callers run getEncodePath first).
            pathname: uriEncode(path, true),
            query: Object.fromEntries(r.query),
            headers: r.headers,
          } as unknown as Parameters<typeof OpenApiUtil.getAuthorization>[0],
          ACS3_ALGORITHM,
          r.payload,
          'LTAI5tParity',
          r.secret,
        );

        expect(ours.authorization).toBe(peer);
        expect(
          `${ACS3_ALGORITHM}\n${OpenApiUtil.hexEncode(OpenApiUtil.hash(Buffer.from(ours.canonicalRequest), ACS3_ALGORITHM))}`,
        ).toBe(acs3StringToSign(ours.canonicalRequest));
        expect(
          OpenApiUtil.hexEncode(OpenApiUtil.signatureMethod(r.secret, ours.stringToSign, ACS3_ALGORITHM)),
        ).toBe(computeAcs3Signature(r.secret, ours.stringToSign));
      }),
      { numRuns: 300 },
    );
  });
});

describe('ACS3 parity with @alicloud/openapi-client on the wire', () => {
  let server: Server;
  let endpoint: string;
  const captured: Captured[] = [];

  beforeAll(async () => {
    server = createServer((req: IncomingMessage, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const [path = '', rawQuery = ''] = (req.url ?? '').split('?');
        captured.push({
          method: req.method ?? '',
          path,
          rawQuery,
          headers: req.headersDistinct as Record<string, string[]>,
          body: Buffer.concat(chunks),
        });
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end('{"RequestId":"PARITY"}');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    endpoint = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await new Promise<void>((resolve) =>
      server.close(() => {
        resolve();
      }),
    );
  });

  const call = fc.record({
    query: uniqueQuery,
    form: fc.option(
      fc.uniqueArray(fc.tuple(UNRESERVED_NAME, anyValue), {
        minLength: 1,
        maxLength: 3,
        selector: ([n]) => n,
      }),
      {
        nil: undefined,
      },
    ),
    customHeader: fc.option(headerValue, { nil: undefined }),
    sts: fc.boolean(),
    secret: fc.stringMatching(/^[A-Za-z0-9]{16,30}$/),
  });

  it('signs what the SDK signs, and our verifier accepts the SDK request as received', async () => {
    await fc.assert(
      fc.asyncProperty(call, async (c) => {
        captured.length = 0;
        const credentials = {
          accessKeyId: c.sts ? 'STS.NUParity' : 'LTAI5tParity',
          accessKeySecret: c.secret,
          ...(c.sts ? { securityToken: 'CAISParityToken' } : {}),
        };
        const client = new OpenApi(new $OpenApi.Config({ ...credentials, endpoint, protocol: 'http' }));
        const params = new $OpenApi.Params({
          action: 'DescribeKey',
          version: '2016-01-20',
          protocol: 'HTTP',
          pathname: '/',
          method: 'POST',
          authType: 'AK',
          style: 'RPC',
          reqBodyType: 'formData',
          bodyType: 'json',
        });
        await client.callApi(
          params,
          new $OpenApi.OpenApiRequest({
            query: Object.fromEntries(c.query),
            ...(c.form === undefined ? {} : { body: Object.fromEntries(c.form) }),
            ...(c.customHeader === undefined ? {} : { headers: { 'x-acs-custom': c.customHeader } }),
          }),
          new $Util.RuntimeOptions({}),
        );

        expect(captured).toHaveLength(1);
        const received = captured[0]!;
        const query: QueryParam[] = decodeQueryString(received.rawQuery);
        const signingTime = parseIsoSeconds(one(received.headers, 'x-acs-date'))!;
        const ourHeaders = Object.fromEntries(
          Object.entries(received.headers)
            .filter(
              ([name]) =>
                !['authorization', 'x-acs-date', 'x-acs-signature-nonce', 'x-acs-security-token'].includes(
                  name,
                ),
            )
            .filter(([name]) => !['x-acs-action', 'x-acs-version', 'x-acs-content-sha256'].includes(name)),
        );
        const ours = signAcs3({
          request: { method: received.method, path: received.path, query, headers: ourHeaders },
          credentials,
          action: one(received.headers, 'x-acs-action'),
          version: one(received.headers, 'x-acs-version'),
          signingTime,
          nonce: one(received.headers, 'x-acs-signature-nonce'),
          body: received.body,
        });

        expect(ours.authorization).toBe(one(received.headers, 'authorization'));
        expect(
          verifyAcs3Request(
            {
              method: received.method,
              path: received.path,
              query,
              headers: received.headers,
              body: received.body,
            },
            {
              now: signingTime,
              resolveCredential: (accessKeyId) =>
                accessKeyId === credentials.accessKeyId
                  ? {
                      accessKeySecret: credentials.accessKeySecret,
                      ...(c.sts ? { securityToken: 'CAISParityToken' } : {}),
                    }
                  : undefined,
            },
          ),
        ).toMatchObject({ ok: true, accessKeyId: credentials.accessKeyId, action: 'DescribeKey' });
      }),
      { numRuns: 40 },
    );
  }, 60_000);
});
