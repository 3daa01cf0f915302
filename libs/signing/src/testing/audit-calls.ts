/**
 * Vectors for the four calls the auditor makes, derived by us from the rules in docs/wire/oss.md (§1,
 * §2.2-2.4, §7): no official vector exists for them. The canonical requests and strings to sign
 * are written out by hand; the string-to-sign hashes and Authorization values were computed from
 * those hand-written strings with plain `node:crypto` (no code of this library). The OSS calls are
 * checked a second time against the official `ali-oss` client (signing.integration-spec.ts).
 */
import type { SignableRequest, SigningCredentials, SigningProduct } from '../types';

export const AUDIT_SIGNING_TIME = new Date('2025-04-17T08:30:00Z');
const DATE_TIME = '20250417T083000Z';
const RFC_1123 = 'Thu, 17 Apr 2025 08:30:00 GMT';
export const STS_TOKEN = 'CAIS+sts/token==';

export const PLAIN_CREDENTIALS: SigningCredentials = { accessKeyId: 'ak', accessKeySecret: 'sk' };
export const STS_CREDENTIALS: SigningCredentials = {
  accessKeyId: 'STS.audit',
  accessKeySecret: 'sk',
  securityToken: STS_TOKEN,
};

export const TABLE_BUCKET_ARN = 'acs:osstables:cn-hangzhou:1234567890:bucket/my-table-bucket';
export const CONTINUATION_TOKEN =
  'Cj5hY3M6b3NzdGFibGVzOmNuLWJlaWppbmc6MTc2MDIyNTU0NTA4NDMzMTpidWNrZXQvZGVtby13YWxrZXItMQ--';

export const GET_BUCKET_ENCRYPTION: SignableRequest = {
  method: 'GET',
  target: { product: 'oss', bucket: 'examplebucket' },
  query: [['encryption', '']],
  headers: {},
};

export const LIST_BUCKETS: SignableRequest = {
  method: 'GET',
  target: { product: 'oss' },
  query: [
    ['prefix', 'audit team/'],
    ['marker', 'bucket-b'],
    ['max-keys', '100'],
  ],
  headers: {},
};

export const GET_TABLE_BUCKET_ENCRYPTION: SignableRequest = {
  method: 'GET',
  target: {
    product: 'osstables',
    path: `buckets/${TABLE_BUCKET_ARN}/encryption`,
    tableBucketArn: TABLE_BUCKET_ARN,
  },
  query: [],
  headers: {},
};

export const LIST_TABLE_BUCKETS: SignableRequest = {
  method: 'GET',
  target: { product: 'osstables', path: 'buckets' },
  query: [
    ['maxBuckets', '100'],
    ['continuationToken', CONTINUATION_TOKEN],
  ],
  headers: {},
};

export interface AuditCallVector {
  readonly id: string;
  readonly version: 'v1' | 'v4';
  readonly request: SignableRequest;
  readonly credentials: SigningCredentials;
  readonly region: string;
  readonly product: SigningProduct;
  /** The path and query our client sends. */
  readonly wirePath: string;
  readonly wireQuery: string;
  /** V4 only; `''` for V1. */
  readonly canonicalRequest: string;
  readonly stringToSign: string;
  readonly authorization: string;
}

const V4_HEADERS = `x-oss-content-sha256:UNSIGNED-PAYLOAD\nx-oss-date:${DATE_TIME}\n`;
const V4_STS_HEADERS = `${V4_HEADERS}x-oss-security-token:${STS_TOKEN}\n`;
// §2.4: `/` + ARN + `/` + decoded path, the ARN encoded once (`:` -> %3A, its `/` kept).
const ARN_URI = 'acs%3Aosstables%3Acn-hangzhou%3A1234567890%3Abucket/my-table-bucket';
const TABLE_BUCKET_URI = `/${ARN_URI}/buckets/${ARN_URI}/encryption`;
// §2.4: without an ARN, `/acs:osstables:{region}::bucket/` + `/` + path.
const TABLE_BUCKETS_URI = '/acs%3Aosstables%3Acn-hangzhou%3A%3Abucket//buckets';
const LIST_BUCKETS_QUERY = 'marker=bucket-b&max-keys=100&prefix=audit%20team%2F';
const LIST_TABLE_BUCKETS_QUERY = `continuationToken=${CONTINUATION_TOKEN}&maxBuckets=100`;

const v4StringToSign = (product: string, hash: string): string =>
  `OSS4-HMAC-SHA256\n${DATE_TIME}\n20250417/cn-hangzhou/${product}/aliyun_v4_request\n${hash}`;
const v4Authorization = (accessKeyId: string, product: string, signature: string): string =>
  `OSS4-HMAC-SHA256 Credential=${accessKeyId}/20250417/cn-hangzhou/${product}/aliyun_v4_request,Signature=${signature}`;

export const AUDIT_CALL_VECTORS: readonly AuditCallVector[] = [
  {
    id: 'GetBucketEncryption V4',
    version: 'v4',
    request: GET_BUCKET_ENCRYPTION,
    credentials: PLAIN_CREDENTIALS,
    region: 'cn-hangzhou',
    product: 'oss',
    wirePath: '/examplebucket/',
    wireQuery: 'encryption',
    canonicalRequest: `GET\n/examplebucket/\nencryption\n${V4_HEADERS}\n\nUNSIGNED-PAYLOAD`,
    stringToSign: v4StringToSign('oss', '5241800556835cb1c6b4842644f654ee71e92992fc0bdb4bfffec70b7252ce1b'),
    authorization: v4Authorization(
      'ak',
      'oss',
      'd0f9cc5b04d49391b08410804a97f43bb1be8c0b4d0703f74402efd81d8df503',
    ),
  },
  {
    id: 'GetBucketEncryption V4 STS',
    version: 'v4',
    request: GET_BUCKET_ENCRYPTION,
    credentials: STS_CREDENTIALS,
    region: 'cn-hangzhou',
    product: 'oss',
    wirePath: '/examplebucket/',
    wireQuery: 'encryption',
    canonicalRequest: `GET\n/examplebucket/\nencryption\n${V4_STS_HEADERS}\n\nUNSIGNED-PAYLOAD`,
    stringToSign: v4StringToSign('oss', '80112190b59438002e6227b57d22fa7edd62e5d5130d422eef7fcf864904960c'),
    authorization: v4Authorization(
      'STS.audit',
      'oss',
      '18af92a1c0eeefa212716b3ffd9aeebec8f07922697f5a621efcca98fe416a07',
    ),
  },
  {
    id: 'GetBucketEncryption V1',
    version: 'v1',
    request: GET_BUCKET_ENCRYPTION,
    credentials: PLAIN_CREDENTIALS,
    region: 'cn-hangzhou',
    product: 'oss',
    wirePath: '/examplebucket/',
    wireQuery: 'encryption',
    canonicalRequest: '',
    stringToSign: `GET\n\n\n${RFC_1123}\n/examplebucket/?encryption`,
    authorization: 'OSS ak:0Da9a527lpbO2irscJsWgm0VYlQ=',
  },
  {
    id: 'GetBucketEncryption V1 STS',
    version: 'v1',
    request: GET_BUCKET_ENCRYPTION,
    credentials: STS_CREDENTIALS,
    region: 'cn-hangzhou',
    product: 'oss',
    wirePath: '/examplebucket/',
    wireQuery: 'encryption',
    canonicalRequest: '',
    stringToSign: `GET\n\n\n${RFC_1123}\nx-oss-security-token:${STS_TOKEN}\n/examplebucket/?encryption`,
    authorization: 'OSS STS.audit:2Ckxxke5vYQf1yqRLHVPZJuKYkA=',
  },
  {
    id: 'ListBuckets V4',
    version: 'v4',
    request: LIST_BUCKETS,
    credentials: PLAIN_CREDENTIALS,
    region: 'cn-hangzhou',
    product: 'oss',
    wirePath: '/',
    wireQuery: LIST_BUCKETS_QUERY,
    canonicalRequest: `GET\n/\n${LIST_BUCKETS_QUERY}\n${V4_HEADERS}\n\nUNSIGNED-PAYLOAD`,
    stringToSign: v4StringToSign('oss', '2a16fe3020d13333f149beac96a789ef98b1e840a8276065021da57a61a5d9af'),
    authorization: v4Authorization(
      'ak',
      'oss',
      '996c171a1ae3661cd4fcad78cd9e9a0ab7c2ab644ac0fda218b44e168e216665',
    ),
  },
  {
    id: 'ListBuckets V4 STS',
    version: 'v4',
    request: LIST_BUCKETS,
    credentials: STS_CREDENTIALS,
    region: 'cn-hangzhou',
    product: 'oss',
    wirePath: '/',
    wireQuery: LIST_BUCKETS_QUERY,
    canonicalRequest: `GET\n/\n${LIST_BUCKETS_QUERY}\n${V4_STS_HEADERS}\n\nUNSIGNED-PAYLOAD`,
    stringToSign: v4StringToSign('oss', 'd022098826597085f83c5b6a2a4b5a167a39f3678ddb4a9299ac55a142a321b4'),
    authorization: v4Authorization(
      'STS.audit',
      'oss',
      '489a35db1bee5ebce7bdf2b108b4a34c6e1596c3d783b7a8ddf04f26deeb4184',
    ),
  },
  {
    id: 'ListBuckets V1',
    version: 'v1',
    request: LIST_BUCKETS,
    credentials: PLAIN_CREDENTIALS,
    region: 'cn-hangzhou',
    product: 'oss',
    wirePath: '/',
    wireQuery: LIST_BUCKETS_QUERY,
    canonicalRequest: '',
    // prefix, marker and max-keys are not sub-resources: the resource is `/` alone.
    stringToSign: `GET\n\n\n${RFC_1123}\n/`,
    authorization: 'OSS ak:0QeznHZASW5uX102eGsFaGvFQe4=',
  },
  {
    id: 'ListBuckets V1 STS',
    version: 'v1',
    request: LIST_BUCKETS,
    credentials: STS_CREDENTIALS,
    region: 'cn-hangzhou',
    product: 'oss',
    wirePath: '/',
    wireQuery: LIST_BUCKETS_QUERY,
    canonicalRequest: '',
    stringToSign: `GET\n\n\n${RFC_1123}\nx-oss-security-token:${STS_TOKEN}\n/`,
    authorization: 'OSS STS.audit:c/T/f0stdGDjPFVWWuzHuM1hrYw=',
  },
  {
    id: 'GetTableBucketEncryption V4',
    version: 'v4',
    request: GET_TABLE_BUCKET_ENCRYPTION,
    credentials: PLAIN_CREDENTIALS,
    region: 'cn-hangzhou',
    product: 'osstables',
    wirePath: '/buckets/acs%3Aosstables%3Acn-hangzhou%3A1234567890%3Abucket%2Fmy-table-bucket/encryption',
    wireQuery: '',
    canonicalRequest: `GET\n${TABLE_BUCKET_URI}\n\n${V4_HEADERS}\n\nUNSIGNED-PAYLOAD`,
    stringToSign: v4StringToSign(
      'osstables',
      'c897e8f319d6b381b05644ae2472ed699d5ddffa88de8e86f1e0fb6054f350ee',
    ),
    authorization: v4Authorization(
      'ak',
      'osstables',
      '2dc287ea7170a79567da150e2da01f6a07c6eada0f2e88c3349d8deb631cb4b5',
    ),
  },
  {
    id: 'GetTableBucketEncryption V4 STS',
    version: 'v4',
    request: GET_TABLE_BUCKET_ENCRYPTION,
    credentials: STS_CREDENTIALS,
    region: 'cn-hangzhou',
    product: 'osstables',
    wirePath: '/buckets/acs%3Aosstables%3Acn-hangzhou%3A1234567890%3Abucket%2Fmy-table-bucket/encryption',
    wireQuery: '',
    canonicalRequest: `GET\n${TABLE_BUCKET_URI}\n\n${V4_STS_HEADERS}\n\nUNSIGNED-PAYLOAD`,
    stringToSign: v4StringToSign(
      'osstables',
      'edf28cd4573a1a904f1cb91dc05b859fcde1c42959fab5fe2030ffb1f0b0bded',
    ),
    authorization: v4Authorization(
      'STS.audit',
      'osstables',
      '27aad65ca549dd12f7662c627ea062b572a598cf7eb279e24b9764a1d540362b',
    ),
  },
  {
    id: 'ListTableBuckets V4',
    version: 'v4',
    request: LIST_TABLE_BUCKETS,
    credentials: PLAIN_CREDENTIALS,
    region: 'cn-hangzhou',
    product: 'osstables',
    wirePath: '/buckets',
    wireQuery: LIST_TABLE_BUCKETS_QUERY,
    canonicalRequest: `GET\n${TABLE_BUCKETS_URI}\n${LIST_TABLE_BUCKETS_QUERY}\n${V4_HEADERS}\n\nUNSIGNED-PAYLOAD`,
    stringToSign: v4StringToSign(
      'osstables',
      'a51d044c59f621cc09664ca8d75e0ad0f1276a16f448d05b3fb551036b1567f5',
    ),
    authorization: v4Authorization(
      'ak',
      'osstables',
      '0519953c5f94db66fa5d110f86eec7cd30da6c82dd3c6955eff2c2fa0043f5eb',
    ),
  },
  {
    id: 'ListTableBuckets V4 STS',
    version: 'v4',
    request: LIST_TABLE_BUCKETS,
    credentials: STS_CREDENTIALS,
    region: 'cn-hangzhou',
    product: 'osstables',
    wirePath: '/buckets',
    wireQuery: LIST_TABLE_BUCKETS_QUERY,
    canonicalRequest: `GET\n${TABLE_BUCKETS_URI}\n${LIST_TABLE_BUCKETS_QUERY}\n${V4_STS_HEADERS}\n\nUNSIGNED-PAYLOAD`,
    stringToSign: v4StringToSign(
      'osstables',
      '511a36661afc257c5d101a7ff836dc591215e174492d67ec6f012bd6395aca42',
    ),
    authorization: v4Authorization(
      'STS.audit',
      'osstables',
      'e0c8f7825114fd03e2f0771546fd1bd80d3f3f45fb208ad56f8c4a06e0afe84d',
    ),
  },
];
