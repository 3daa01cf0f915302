import { createHash, createHmac } from 'node:crypto';
import {
  AUDIT_CALL_VECTORS,
  AUDIT_SIGNING_TIME,
  CONTINUATION_TOKEN,
  GET_TABLE_BUCKET_ENCRYPTION,
  LIST_TABLE_BUCKETS,
  STS_CREDENTIALS,
  TABLE_BUCKET_ARN,
  type AuditCallVector,
} from './testing/audit-calls';
import { decodeQueryString, encodeQueryString } from './canonical-query';
import { tablesRequestPath, tablesSigningTarget, tablesTargetFromRequestPath } from './tables-path';
import type { SignedRequest } from './types';
import { signV1 } from './v1-signer';
import { signV4 } from './v4-signer';
import { verifyRequest } from './verifier';

const sign = (vector: AuditCallVector): SignedRequest =>
  vector.version === 'v1'
    ? signV1({ request: vector.request, credentials: vector.credentials, signingTime: AUDIT_SIGNING_TIME })
    : signV4({
        request: vector.request,
        credentials: vector.credentials,
        region: vector.region,
        product: vector.product,
        signingTime: AUDIT_SIGNING_TIME,
      });

const hmac = (key: string | Buffer, message: string, algorithm = 'sha256'): Buffer =>
  createHmac(algorithm, key).update(message, 'utf8').digest();

/** Signature from the literal strings with bare node:crypto, independent of this library's code. */
function independentAuthorization(vector: AuditCallVector): string {
  const { accessKeyId, accessKeySecret } = vector.credentials;
  if (vector.version === 'v1')
    return `OSS ${accessKeyId}:${hmac(accessKeySecret, vector.stringToSign, 'sha1').toString('base64')}`;
  const [, , scope] = vector.stringToSign.split('\n');
  const [date, region, product, terminator] = scope!.split('/');
  const key = [region!, product!, terminator!].reduce<Buffer>(
    (k, part) => hmac(k, part),
    hmac(`aliyun_v4${accessKeySecret}`, date!),
  );
  return `OSS4-HMAC-SHA256 Credential=${accessKeyId}/${scope!},Signature=${hmac(key, vector.stringToSign).toString('hex')}`;
}

describe.each(AUDIT_CALL_VECTORS.map((vector) => [vector.id, vector] as const))('%s', (_id, vector) => {
  it('signs with the hand-written canonical request and string to sign', () => {
    const signed = sign(vector);

    expect(signed.canonicalRequest).toBe(vector.canonicalRequest);
    expect(signed.stringToSign).toBe(vector.stringToSign);
    expect(signed.authorization).toBe(vector.authorization);
  });

  it('matches an independent derivation from the literal strings', () => {
    if (vector.version === 'v4') {
      const hash = createHash('sha256').update(vector.canonicalRequest, 'utf8').digest('hex');
      expect(vector.stringToSign.endsWith(`\n${hash}`)).toBe(true);
    }
    expect(independentAuthorization(vector)).toBe(vector.authorization);
  });

  it('sends the query string it signs', () => {
    expect(encodeQueryString(vector.request.query)).toBe(vector.wireQuery);
  });

  it('is accepted by the verifier as it arrives on the wire', () => {
    const signed = sign(vector);
    const target =
      vector.product === 'osstables' ? tablesTargetFromRequestPath(vector.wirePath) : vector.request.target;
    const result = verifyRequest(
      { method: 'GET', target, query: decodeQueryString(vector.wireQuery), headers: signed.headers },
      {
        now: AUDIT_SIGNING_TIME,
        resolveCredential: (accessKeyId) =>
          accessKeyId === vector.credentials.accessKeyId
            ? {
                accessKeySecret: vector.credentials.accessKeySecret,
                ...(vector.credentials.securityToken === undefined
                  ? {}
                  : { securityToken: vector.credentials.securityToken }),
              }
            : undefined,
      },
    );

    expect(result).toMatchObject({
      ok: true,
      accessKeyId: vector.credentials.accessKeyId,
      version: vector.version,
    });
  });
});

// ali-oss has no OSS Tables API, so the tables vectors get their second check here: the canonical
// URI is spelled out by hand from docs/wire/oss.md §2.4 (ARN `:` -> %3A, its `/` kept), the rest of the
// canonical request assembled by hand, and the signature computed with bare node:crypto.
describe('OSS Tables canonical URI, re-derived by hand from docs/wire/oss.md §2.4', () => {
  const encodedArn = TABLE_BUCKET_ARN.split(':').join('%3A');
  const dateTime = '20250417T083000Z';
  const headersBlock = `x-oss-content-sha256:UNSIGNED-PAYLOAD\nx-oss-date:${dateTime}\nx-oss-security-token:${STS_CREDENTIALS.securityToken!}\n`;

  function handSignature(canonicalUri: string, canonicalQuery: string): string {
    const canonicalRequest = ['GET', canonicalUri, canonicalQuery, headersBlock, '', 'UNSIGNED-PAYLOAD'].join(
      '\n',
    );
    const scope = '20250417/cn-hangzhou/osstables/aliyun_v4_request';
    const stringToSign = `OSS4-HMAC-SHA256\n${dateTime}\n${scope}\n${createHash('sha256').update(canonicalRequest).digest('hex')}`;
    const key = hmac(
      hmac(hmac(hmac('aliyun_v4sk', '20250417'), 'cn-hangzhou'), 'osstables'),
      'aliyun_v4_request',
    );
    return hmac(key, stringToSign).toString('hex');
  }

  const signTables = (request: typeof LIST_TABLE_BUCKETS) =>
    signV4({
      request,
      credentials: STS_CREDENTIALS,
      region: 'cn-hangzhou',
      product: 'osstables',
      signingTime: AUDIT_SIGNING_TIME,
    });

  it('puts the ARN twice for a bucket-scoped call (GetTableBucketEncryption)', () => {
    const canonicalUri = `/${encodedArn}/buckets/${encodedArn}/encryption`;

    expect(
      signTables(GET_TABLE_BUCKET_ENCRYPTION).authorization.endsWith(
        `Signature=${handSignature(canonicalUri, '')}`,
      ),
    ).toBe(true);
  });

  it('uses the account-less bucket prefix and a double slash without an ARN (ListTableBuckets)', () => {
    const canonicalUri = '/acs%3Aosstables%3Acn-hangzhou%3A%3Abucket//buckets';
    const canonicalQuery = `continuationToken=${CONTINUATION_TOKEN}&maxBuckets=100`;

    expect(
      signTables(LIST_TABLE_BUCKETS).authorization.endsWith(
        `Signature=${handSignature(canonicalUri, canonicalQuery)}`,
      ),
    ).toBe(true);
  });

  it('builds the wire path with the ARN encoded once, as GO2 url.QueryEscape does', () => {
    expect(tablesRequestPath(TABLE_BUCKET_ARN, 'encryption')).toBe(
      '/buckets/acs%3Aosstables%3Acn-hangzhou%3A1234567890%3Abucket%2Fmy-table-bucket/encryption',
    );
    expect(tablesRequestPath(undefined, '')).toBe('/buckets');
  });

  it('gives the signing target of the fixture requests for the same arguments', () => {
    expect(tablesSigningTarget(TABLE_BUCKET_ARN, 'encryption')).toEqual(GET_TABLE_BUCKET_ENCRYPTION.target);
    expect(tablesSigningTarget(undefined, '')).toEqual(LIST_TABLE_BUCKETS.target);
  });
});
