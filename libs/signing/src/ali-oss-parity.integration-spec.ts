/**
 * Second, independent check of our OSS signatures: the official `ali-oss` client signs the same
 * GetBucketEncryption and ListBuckets requests (V1, its default, and V4; with and without an STS
 * token) against a loopback server that records what arrives. Our signer, given the date ali-oss
 * put in `x-oss-date`, must produce a byte-identical Authorization, and our verifier must accept
 * ali-oss's request as received. ali-oss has no OSS Tables API; tables get their second check in
 * audit-calls.spec.ts. ali-oss runs in a child process (see testing/ali-oss-signing-driver.ts for why).
 */
import { execFile } from 'node:child_process';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { AliOssCall } from './testing/ali-oss-signing-driver';
import {
  GET_BUCKET_ENCRYPTION,
  LIST_BUCKETS,
  PLAIN_CREDENTIALS,
  STS_CREDENTIALS,
} from './testing/audit-calls';
import { decodeQueryString } from './canonical-query';
import { parseIsoBasic, parseRfc1123 } from './dates';
import type { SignableRequest, SignedRequest, SigningCredentials } from './types';
import { signV1 } from './v1-signer';
import { signV4 } from './v4-signer';
import { verifyRequest } from './verifier';

interface CapturedRequest {
  readonly method: string;
  readonly path: string;
  readonly rawQuery: string;
  readonly headers: Record<string, string[]>;
}

const ENCRYPTION_XML =
  '<ServerSideEncryptionRule><ApplyServerSideEncryptionByDefault><SSEAlgorithm>AES256</SSEAlgorithm>' +
  '</ApplyServerSideEncryptionByDefault></ServerSideEncryptionRule>';
const LIST_BUCKETS_XML =
  '<ListAllMyBucketsResult><Owner><ID>1</ID><DisplayName>owner</DisplayName></Owner><Buckets></Buckets></ListAllMyBucketsResult>';

const REQUESTS: Record<AliOssCall['operation'], SignableRequest> = {
  GetBucketEncryption: GET_BUCKET_ENCRYPTION,
  ListBuckets: LIST_BUCKETS,
};

const CASES = (['GetBucketEncryption', 'ListBuckets'] as const).flatMap((operation) =>
  (['v1', 'v4'] as const).flatMap((version) =>
    [PLAIN_CREDENTIALS, STS_CREDENTIALS].map((credentials) => ({
      name: `${operation} ${version}${credentials.securityToken === undefined ? '' : ' STS'}`,
      operation,
      version,
      credentials,
    })),
  ),
);

const captured: CapturedRequest[] = [];
let server: Server;

function capture(request: IncomingMessage): CapturedRequest {
  const [path = '', rawQuery = ''] = (request.url ?? '').split('?');
  return {
    method: request.method ?? '',
    path,
    rawQuery,
    headers: request.headersDistinct as Record<string, string[]>,
  };
}

beforeAll(async () => {
  server = createServer((request, response) => {
    const received = capture(request);
    captured.push(received);
    response.writeHead(200, { 'content-type': 'application/xml' });
    response.end(received.rawQuery.includes('encryption') ? ENCRYPTION_XML : LIST_BUCKETS_XML);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const calls: AliOssCall[] = CASES.map(({ operation, version, credentials }) => ({
    operation,
    authorizationV4: version === 'v4',
    ...credentials,
  }));
  await promisify(execFile)(
    process.execPath,
    [
      '-r',
      '@swc-node/register',
      join(__dirname, 'testing', 'ali-oss-signing-driver.ts'),
      endpoint,
      JSON.stringify(calls),
    ],
    { cwd: join(__dirname, '../../..') },
  );
}, 60_000);

afterAll(async () => {
  await new Promise<void>((resolve, reject) => {
    server.close((error) => {
      if (error) reject(error);
      else resolve();
    });
  });
});

function header(request: CapturedRequest, name: string): string {
  const values = request.headers[name];
  if (values?.length !== 1) throw new Error(`expected exactly one ${name} header`);
  return values[0]!;
}

/** The instant ali-oss stamped in x-oss-date (RFC 1123 for V1, ISO 8601 basic for V4). */
function signingTimeOf(received: CapturedRequest, version: 'v1' | 'v4'): Date {
  const ossDate = header(received, 'x-oss-date');
  return (version === 'v1' ? parseRfc1123(ossDate) : parseIsoBasic(ossDate))!;
}

/** Our signature of `request` at the instant ali-oss signed it. */
function ourSignature(
  request: SignableRequest,
  received: CapturedRequest,
  version: 'v1' | 'v4',
  credentials: SigningCredentials,
): SignedRequest {
  const signingTime = signingTimeOf(received, version);
  if (version === 'v4')
    return signV4({ request, credentials, region: 'cn-hangzhou', product: 'oss', signingTime });
  // ali-oss V1 sends no Date header, only x-oss-date, which is then the date line.
  const headers = { ...request.headers, 'x-oss-date': header(received, 'x-oss-date') };
  return signV1({ request: { ...request, headers }, credentials, signingTime });
}

describe.each(CASES.map((testCase, index) => [testCase.name, testCase, index] as const))(
  'ali-oss %s',
  (_name, { operation, version, credentials }, index) => {
    const request = REQUESTS[operation];
    const received = (): CapturedRequest => captured[index]!;

    it('sends the request our fixture describes', () => {
      const asSortedStrings = (pairs: readonly (readonly [string, string])[]) =>
        pairs.map(([name, value]) => `${name}=${value}`).sort();

      expect(captured).toHaveLength(CASES.length);
      expect(asSortedStrings(decodeQueryString(received().rawQuery))).toEqual(asSortedStrings(request.query));
      expect(received().headers['x-oss-security-token']).toEqual(
        credentials.securityToken === undefined ? undefined : [credentials.securityToken],
      );
    });

    it('carries an Authorization byte-identical to ours', () => {
      expect(header(received(), 'authorization')).toBe(
        ourSignature(request, received(), version, credentials).authorization,
      );
    });

    it('is accepted by our verifier as received', () => {
      const bucket = received().path.split('/')[1] ?? '';
      const result = verifyRequest(
        {
          method: received().method,
          target: bucket === '' ? { product: 'oss' } : { product: 'oss', bucket },
          query: decodeQueryString(received().rawQuery),
          headers: received().headers,
        },
        {
          now: signingTimeOf(received(), version),
          resolveCredential: (accessKeyId) =>
            accessKeyId === credentials.accessKeyId
              ? {
                  accessKeySecret: credentials.accessKeySecret,
                  ...(credentials.securityToken === undefined
                    ? {}
                    : { securityToken: credentials.securityToken }),
                }
              : undefined,
        },
      );

      expect(result).toMatchObject({
        ok: true,
        version,
        mode: 'header',
        accessKeyId: credentials.accessKeyId,
      });
    });
  },
);
