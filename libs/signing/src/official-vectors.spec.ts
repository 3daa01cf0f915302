import { createHash } from 'node:crypto';
import { encodeQueryString } from './canonical-query';
import { canonicalUri } from './canonical-uri';
import {
  SIGNING_KEY_VECTORS,
  V1_HEADER_VECTORS,
  V1_PRESIGN_VECTORS,
  V4_CANONICAL_QUERY,
  V4_CANONICAL_URI,
  V4_HEADER_VECTORS,
  V4_PRESIGN_VECTORS,
} from './testing/official-vectors';
import { deriveSigningKeyChain } from './signing-key';
import { uriEncode } from './uri-encode';
import { presignV1, signV1 } from './v1-signer';
import { presignV4, signV4 } from './v4-signer';

const sha256Hex = (value: string): string => createHash('sha256').update(value, 'utf8').digest('hex');

describe('official V1 header vectors (docs/wire/oss.md §3.1)', () => {
  it.each(V1_HEADER_VECTORS.map((vector) => [vector.id, vector] as const))(
    '%s reproduces the string to sign and the Authorization',
    (_id, vector) => {
      const signed = signV1({
        request: vector.request,
        credentials: vector.credentials,
        signingTime: vector.signingTime,
      });

      expect(signed.stringToSign).toBe(vector.expectedStringToSign);
      expect(signed.authorization).toBe(vector.expectedAuthorization);
      expect(signed.headers.authorization).toBe(vector.expectedAuthorization);
      expect(signed.headers.date).toBe('Wed, 28 Dec 2022 10:27:41 GMT');
    },
  );
});

describe('official V1 presign vectors (docs/wire/oss.md §3.2)', () => {
  it.each(V1_PRESIGN_VECTORS.map((vector) => [vector.id, vector] as const))(
    '%s reproduces the signature and the result URL',
    (_id, vector) => {
      const presigned = presignV1({
        request: vector.request,
        credentials: vector.credentials,
        expires: vector.expires,
      });
      const key = vector.request.target.product === 'osstables' ? '' : (vector.request.target.key ?? '');

      expect(presigned.stringToSign).toBe(vector.expectedStringToSign);
      expect(presigned.signature).toBe(vector.expectedSignature);
      expect(encodeQueryString(presigned.query)).toBe(vector.expectedQueryString);
      expect(`/${uriEncode(key, true)}`).toBe(vector.expectedPath);
    },
  );
});

describe('official V4 header vectors (docs/wire/oss.md §3.3)', () => {
  it('derives the shared canonical URI and canonical query string', () => {
    const [first] = V4_HEADER_VECTORS;

    expect(canonicalUri(first!.request.target, 'cn-hangzhou')).toBe(V4_CANONICAL_URI);
    expect(encodeQueryString(first!.request.query)).toBe(V4_CANONICAL_QUERY);
  });

  it.each(V4_HEADER_VECTORS.map((vector) => [vector.id, vector] as const))(
    '%s reproduces the canonical request, string to sign and Authorization',
    (_id, vector) => {
      const signed = signV4({
        request: vector.request,
        credentials: vector.credentials,
        region: vector.region,
        product: vector.product,
        signingTime: vector.signingTime,
        ...(vector.additionalHeaders === undefined ? {} : { additionalHeaders: vector.additionalHeaders }),
      });

      expect(signed.canonicalRequest).toBe(vector.expectedCanonicalRequest);
      if (vector.expectedCanonicalRequestSha256 !== undefined) {
        expect(sha256Hex(signed.canonicalRequest)).toBe(vector.expectedCanonicalRequestSha256);
      }
      if (vector.expectedStringToSign !== undefined)
        expect(signed.stringToSign).toBe(vector.expectedStringToSign);
      expect(signed.authorization).toBe(vector.expectedAuthorization);
      expect(signed.headers.authorization).toBe(vector.expectedAuthorization);
    },
  );
});

describe('official V4 presign vectors (docs/wire/oss.md §3.4)', () => {
  it.each(V4_PRESIGN_VECTORS.map((vector) => [vector.id, vector] as const))(
    '%s reproduces x-oss-signature',
    (_id, vector) => {
      const presigned = presignV4({
        request: vector.request,
        credentials: vector.credentials,
        region: vector.region,
        product: vector.product,
        signingTime: vector.signingTime,
        expiresInSeconds: vector.expiresInSeconds,
        ...(vector.additionalHeaders === undefined ? {} : { additionalHeaders: vector.additionalHeaders }),
      });

      if (vector.expectedCanonicalQuery !== undefined) {
        expect(presigned.canonicalRequest.split('\n')[2]).toBe(vector.expectedCanonicalQuery);
      }
      expect(presigned.signature).toBe(vector.expectedSignature);
      expect(presigned.query.at(-1)).toEqual(['x-oss-signature', vector.expectedSignature]);
    },
  );
});

describe('V4 signing-key chain (docs/wire/oss.md §3.3)', () => {
  it.each(
    SIGNING_KEY_VECTORS.map(
      (vector) => [`${vector.date}/${vector.region}/${vector.product}`, vector] as const,
    ),
  )('%s derives every listed intermediate key', (_scope, vector) => {
    const chain = deriveSigningKeyChain(vector.accessKeySecret, vector.date, vector.region, vector.product);

    if (vector.dateKey !== undefined) expect(chain.dateKey.toString('hex')).toBe(vector.dateKey);
    if (vector.regionKey !== undefined) expect(chain.regionKey.toString('hex')).toBe(vector.regionKey);
    if (vector.productKey !== undefined) expect(chain.productKey.toString('hex')).toBe(vector.productKey);
    expect(chain.signingKey.toString('hex')).toBe(vector.signingKey);
  });
});
