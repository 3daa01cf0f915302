import { acs3StringToSign, computeAcs3Signature, formatAcs3Authorization } from './acs3-canonical-request';
import { acs3Authorization, signAcs3 } from './acs3-signer';
import {
  ACS3_AUTHORIZATION_VECTORS,
  ACS3_SIGN_VECTORS,
  SUPERSEDED_EMPTY_VALUE_VECTOR,
} from './testing/acs3-vectors';

describe('ACS3 vectors: full signing (docs/wire/kms-and-acs3.md §1.4)', () => {
  it.each(ACS3_SIGN_VECTORS.map((vector) => [vector.id, vector] as const))(
    '%s reproduces the canonical request and the Authorization',
    (_id, vector) => {
      const signed = signAcs3({
        request: vector.request,
        credentials: { accessKeyId: vector.accessKeyId, accessKeySecret: vector.accessKeySecret },
        action: vector.action,
        version: vector.version,
        signingTime: vector.signingTime,
        nonce: vector.nonce,
        body: vector.body,
      });

      expect(signed.canonicalRequest).toBe(vector.expectedCanonicalRequest);
      expect(signed.authorization).toBe(vector.expectedAuthorization);
      expect(signed.headers.authorization).toBe(vector.expectedAuthorization);
    },
  );
});

describe('ACS3 vectors: the SDK utilities getAuthorization', () => {
  it.each(ACS3_AUTHORIZATION_VECTORS.map((vector) => [vector.id, vector] as const))(
    '%s reproduces the Authorization',
    (_id, vector) => {
      expect(acs3Authorization(vector).authorization).toBe(vector.expectedAuthorization);
    },
  );

  it('differs from the superseded bare-name empty value only by that canonical query form', () => {
    const vector = SUPERSEDED_EMPTY_VALUE_VECTOR;
    const ours = acs3Authorization(vector);
    const superseded = ours.canonicalRequest.replace('\nempty=&test=ok\n', '\nempty&test=ok\n');
    const signature = computeAcs3Signature(vector.accessKeySecret, acs3StringToSign(superseded));

    expect(ours.authorization).not.toBe(vector.expectedAuthorization);
    expect(formatAcs3Authorization(vector.accessKeyId, ours.signedHeaders, signature)).toBe(
      vector.expectedAuthorization,
    );
  });
});
