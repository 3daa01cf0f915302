/**
 * The official OSS signing test vectors (docs/wire/oss.md §3), as data. Each expected Authorization or
 * signature is asserted by an official SDK unit test:
 * - GO2 = aliyun/alibabacloud-oss-go-sdk-v2 `oss/signer/signer_test.go`
 *   (TestV1AuthHeader, TestV1AuthQuery, TestV4AuthHeader, TestV4AuthHeaderToken,
 *   TestV4AuthHeaderWithAdditionalHeaders, TestV4AuthHeaderWithCloudBox, TestV4AuthQuery,
 *   TestV4AuthQueryToken, TestV4AuthQueryWithAdditionalHeaders);
 * - PY2 = aliyun/alibabacloud-oss-python-sdk-v2 `tests/unit/signer/test_v1.py`, `test_v4.py`;
 * - J2 = aliyun/alibabacloud-oss-java-sdk-v2 `src/test/java/com/aliyun/sdk/service/oss2/signer/SignerV4Test.java`.
 * Canonical requests, strings to sign and key chains marked [derived] were recomputed from the
 * rules in docs/wire/oss.md and reproduce the official signatures; they locate a mismatch step by step.
 */
import type { QueryParam, SignableRequest, SigningCredentials, SigningProduct } from '../types';

const AK_SK: SigningCredentials = { accessKeyId: 'ak', accessKeySecret: 'sk' };
const AK_SK_TOKEN: SigningCredentials = { accessKeyId: 'ak', accessKeySecret: 'sk', securityToken: 'token' };

export interface V1HeaderVector {
  readonly id: string;
  readonly source: string;
  readonly request: SignableRequest;
  readonly credentials: SigningCredentials;
  readonly signingTime: Date;
  readonly expectedStringToSign: string;
  readonly expectedAuthorization: string;
}

export interface V1PresignVector {
  readonly id: string;
  readonly source: string;
  readonly request: SignableRequest;
  readonly credentials: SigningCredentials;
  readonly expires: Date;
  /** [derived] */
  readonly expectedStringToSign: string;
  readonly expectedSignature: string;
  /** The object path of the official result URL. */
  readonly expectedPath: string;
  /** The query of the official result URL. */
  readonly expectedQueryString: string;
}

export interface V4HeaderVector {
  readonly id: string;
  readonly source: string;
  readonly request: SignableRequest;
  readonly credentials: SigningCredentials;
  readonly region: string;
  readonly product: SigningProduct;
  readonly signingTime: Date;
  readonly additionalHeaders?: readonly string[];
  /** [derived] */
  readonly expectedCanonicalRequest: string;
  /** [derived] */
  readonly expectedCanonicalRequestSha256?: string;
  /** [derived] */
  readonly expectedStringToSign?: string;
  readonly expectedAuthorization: string;
}

export interface V4PresignVector {
  readonly id: string;
  readonly source: string;
  readonly request: SignableRequest;
  readonly credentials: SigningCredentials;
  readonly region: string;
  readonly product: SigningProduct;
  readonly signingTime: Date;
  readonly expiresInSeconds: number;
  readonly additionalHeaders?: readonly string[];
  /** [derived] */
  readonly expectedCanonicalQuery?: string;
  readonly expectedSignature: string;
}

export interface SigningKeyVector {
  readonly accessKeySecret: string;
  readonly date: string;
  readonly region: string;
  readonly product: string;
  readonly dateKey?: string;
  readonly regionKey?: string;
  readonly productKey?: string;
  readonly signingKey: string;
}

const unix = (seconds: number): Date => new Date(seconds * 1000);

// §3.1: every V1 header vector carries x-oss-date equal to the signing time.
const V1_TIME = 'Wed, 28 Dec 2022 10:27:41 GMT';
const V1_PUT_HEADERS = {
  'Content-MD5': 'eB5eJF1ptWaXm4bijSPyxw==',
  'Content-Type': 'text/html',
  'x-oss-meta-author': 'alice',
  'x-oss-meta-magic': 'abracadabra',
  'x-oss-date': V1_TIME,
};
const V1_PUT_STRING_TO_SIGN =
  'PUT\neB5eJF1ptWaXm4bijSPyxw==\ntext/html\nWed, 28 Dec 2022 10:27:41 GMT\n' +
  'x-oss-date:Wed, 28 Dec 2022 10:27:41 GMT\nx-oss-meta-author:alice\nx-oss-meta-magic:abracadabra\n';
const V1_GET_STRING_TO_SIGN_PREFIX =
  'GET\n\n\nWed, 28 Dec 2022 10:27:41 GMT\nx-oss-date:Wed, 28 Dec 2022 10:27:41 GMT\n';

export const V1_HEADER_VECTORS: readonly V1HeaderVector[] = [
  {
    id: 'V1-1',
    source: 'GO2 TestV1AuthHeader case 1; PY2 test_auth_header_1',
    request: {
      method: 'PUT',
      target: { product: 'oss', bucket: 'examplebucket', key: 'nelson' },
      query: [],
      headers: V1_PUT_HEADERS,
    },
    credentials: AK_SK,
    signingTime: new Date(V1_TIME),
    expectedStringToSign: `${V1_PUT_STRING_TO_SIGN}/examplebucket/nelson`,
    expectedAuthorization: 'OSS ak:kSHKmLxlyEAKtZPkJhG9bZb5k7M=',
  },
  {
    id: 'V1-2',
    source: 'GO2 TestV1AuthHeader case 2; PY2 test_auth_header_2',
    request: {
      method: 'PUT',
      target: { product: 'oss', bucket: 'examplebucket', key: 'nelson' },
      query: [['acl', '']],
      headers: V1_PUT_HEADERS,
    },
    credentials: AK_SK,
    signingTime: new Date(V1_TIME),
    expectedStringToSign: `${V1_PUT_STRING_TO_SIGN}/examplebucket/nelson?acl`,
    expectedAuthorization: 'OSS ak:/afkugFbmWDQ967j1vr6zygBLQk=',
  },
  {
    id: 'V1-3',
    source: 'GO2 TestV1AuthHeader case 3; PY2 test_auth_header_3',
    request: {
      method: 'GET',
      target: { product: 'oss', bucket: 'examplebucket' },
      query: [
        ['resourceGroup', ''],
        ['non-resousce', 'null'],
      ],
      headers: { 'x-oss-date': V1_TIME },
    },
    credentials: AK_SK,
    signingTime: new Date(V1_TIME),
    expectedStringToSign: `${V1_GET_STRING_TO_SIGN_PREFIX}/examplebucket/?resourceGroup`,
    expectedAuthorization: 'OSS ak:vkQmfuUDyi1uDi3bKt67oemssIs=',
  },
  {
    id: 'V1-4',
    source: 'GO2 TestV1AuthHeader case 4; PY2 test_auth_header_4',
    request: {
      method: 'GET',
      target: { product: 'oss', bucket: 'examplebucket' },
      query: [
        ['resourceGroup', ''],
        ['acl', ''],
      ],
      headers: { 'x-oss-date': V1_TIME },
    },
    credentials: AK_SK,
    signingTime: new Date(V1_TIME),
    expectedStringToSign: `${V1_GET_STRING_TO_SIGN_PREFIX}/examplebucket/?acl&resourceGroup`,
    expectedAuthorization: 'OSS ak:x3E5TgOvl/i7PN618s5mEvpJDYk=',
  },
];

export const V1_PRESIGN_VECTORS: readonly V1PresignVector[] = [
  {
    id: 'V1-Q1',
    source: 'GO2 TestV1AuthQuery case 1; GO1 oss/conn_test.go',
    request: {
      method: 'GET',
      target: { product: 'oss', bucket: 'bucket', key: 'key' },
      query: [['versionId', 'versionId']],
      headers: {},
    },
    credentials: AK_SK,
    expires: unix(1699807420),
    expectedStringToSign: 'GET\n\n\n1699807420\n/bucket/key?versionId=versionId',
    expectedSignature: 'dcLTea+Yh9ApirQ8o8dOPqtvJXQ=',
    expectedPath: '/key',
    expectedQueryString:
      'Expires=1699807420&OSSAccessKeyId=ak&Signature=dcLTea%2BYh9ApirQ8o8dOPqtvJXQ%3D&versionId=versionId',
  },
  {
    id: 'V1-Q2',
    source: 'GO2 TestV1AuthQuery case 2 (STS, key with +)',
    request: {
      method: 'GET',
      target: { product: 'oss', bucket: 'bucket', key: 'key+123' },
      query: [['versionId', 'versionId']],
      headers: {},
    },
    credentials: AK_SK_TOKEN,
    expires: unix(1699808204),
    expectedStringToSign: 'GET\n\n\n1699808204\n/bucket/key+123?security-token=token&versionId=versionId',
    expectedSignature: 'jzKYRrM5y6Br0dRFPaTGOsbrDhY=',
    expectedPath: '/key%2B123',
    expectedQueryString:
      'Expires=1699808204&OSSAccessKeyId=ak&Signature=jzKYRrM5y6Br0dRFPaTGOsbrDhY%3D&security-token=token&versionId=versionId',
  },
];

// §3.3 common inputs.
const V4_QUERY: readonly QueryParam[] = [
  ['param1', 'value1'],
  ['+param1', 'value3'],
  ['|param1', 'value4'],
  ['+param2', ''],
  ['|param2', ''],
  ['param2', ''],
];
const V4_TARGET = { product: 'oss', bucket: 'bucket', key: '1234+-/123/1.txt' } as const;
const V4_HEADERS = {
  'x-oss-head1': 'value',
  abc: 'value',
  ZAbc: 'value',
  XYZ: 'value',
  'content-type': 'text/plain',
  'x-oss-content-sha256': 'UNSIGNED-PAYLOAD',
};
const V4_REQUEST: SignableRequest = {
  method: 'PUT',
  target: V4_TARGET,
  query: V4_QUERY,
  headers: V4_HEADERS,
};
export const V4_CANONICAL_URI = '/bucket/1234%2B-/123/1.txt';
export const V4_CANONICAL_QUERY =
  '%2Bparam1=value3&%2Bparam2&%7Cparam1=value4&%7Cparam2&param1=value1&param2';
const v4CanonicalRequest = (headersBlock: string, additionalHeaders: string): string =>
  `PUT\n${V4_CANONICAL_URI}\n${V4_CANONICAL_QUERY}\n${headersBlock}\n${additionalHeaders}\nUNSIGNED-PAYLOAD`;

const V4_1_CANONICAL_REQUEST = v4CanonicalRequest(
  'content-type:text/plain\nx-oss-content-sha256:UNSIGNED-PAYLOAD\nx-oss-date:20231216T162057Z\nx-oss-head1:value\n',
  '',
);
const V4_3_CANONICAL_REQUEST = v4CanonicalRequest(
  'abc:value\ncontent-type:text/plain\nx-oss-content-sha256:UNSIGNED-PAYLOAD\nx-oss-date:20231216T172512Z\nx-oss-head1:value\nzabc:value\n',
  'abc;zabc',
);
const V4_3_AUTHORIZATION =
  'OSS4-HMAC-SHA256 Credential=ak/20231216/cn-hangzhou/oss/aliyun_v4_request,AdditionalHeaders=abc;zabc,' +
  'Signature=4a4183c187c07c8947db7620deb0a6b38d9fbdd34187b6dbaccb316fa251212f';

export const V4_HEADER_VECTORS: readonly V4HeaderVector[] = [
  {
    id: 'V4-1',
    source: 'GO2 TestV4AuthHeader; PY2 test_auth_header; J2 SignerV4Test',
    request: V4_REQUEST,
    credentials: AK_SK,
    region: 'cn-hangzhou',
    product: 'oss',
    signingTime: unix(1702743657),
    expectedCanonicalRequest: V4_1_CANONICAL_REQUEST,
    expectedStringToSign:
      'OSS4-HMAC-SHA256\n20231216T162057Z\n20231216/cn-hangzhou/oss/aliyun_v4_request\n' +
      'f4613657f1b108998e8dbd10a1aa5da621dc2c6e02c9ddec0f163664848704c4',
    expectedAuthorization:
      'OSS4-HMAC-SHA256 Credential=ak/20231216/cn-hangzhou/oss/aliyun_v4_request,' +
      'Signature=e21d18daa82167720f9b1047ae7e7f1ce7cb77a31e8203a7d5f4624fa0284afe',
  },
  {
    id: 'V4-2',
    source: 'GO2 TestV4AuthHeaderToken; PY2 test_auth_header_with_token',
    request: V4_REQUEST,
    credentials: AK_SK_TOKEN,
    region: 'cn-hangzhou',
    product: 'oss',
    signingTime: unix(1702784856),
    expectedCanonicalRequest: v4CanonicalRequest(
      'content-type:text/plain\nx-oss-content-sha256:UNSIGNED-PAYLOAD\nx-oss-date:20231217T034736Z\n' +
        'x-oss-head1:value\nx-oss-security-token:token\n',
      '',
    ),
    expectedCanonicalRequestSha256: '69494678fb11579d4ee12996e2796d9e2ba43c34aa4c723c4aec018f3d6b86b8',
    expectedAuthorization:
      'OSS4-HMAC-SHA256 Credential=ak/20231217/cn-hangzhou/oss/aliyun_v4_request,' +
      'Signature=b94a3f999cf85bcdc00d332fbd3734ba03e48382c36fa4d5af5df817395bd9ea',
  },
  {
    id: 'V4-3a',
    source:
      'GO2 TestV4AuthHeaderWithAdditionalHeaders (first case); PY2 test_auth_header_with_additional_headers',
    request: V4_REQUEST,
    credentials: AK_SK,
    region: 'cn-hangzhou',
    product: 'oss',
    signingTime: unix(1702747512),
    additionalHeaders: ['ZAbc', 'abc'],
    expectedCanonicalRequest: V4_3_CANONICAL_REQUEST,
    expectedCanonicalRequestSha256: '16b86004ed2cc3406dd7a13081bd940ef6a5ad49e508da2d4fdf84e8a5dd2145',
    expectedAuthorization: V4_3_AUTHORIZATION,
  },
  {
    id: 'V4-3b',
    source:
      'GO2 TestV4AuthHeaderWithAdditionalHeaders (second case: default-signed and absent names dropped)',
    request: V4_REQUEST,
    credentials: AK_SK,
    region: 'cn-hangzhou',
    product: 'oss',
    signingTime: unix(1702747512),
    additionalHeaders: ['x-oss-no-exist', 'ZAbc', 'x-oss-head1', 'abc'],
    expectedCanonicalRequest: V4_3_CANONICAL_REQUEST,
    expectedCanonicalRequestSha256: '16b86004ed2cc3406dd7a13081bd940ef6a5ad49e508da2d4fdf84e8a5dd2145',
    expectedAuthorization: V4_3_AUTHORIZATION,
  },
  {
    id: 'V4-4',
    source: 'GO2 TestV4AuthHeaderWithCloudBox',
    request: { ...V4_REQUEST, target: { ...V4_TARGET, product: 'oss-cloudbox' } },
    credentials: AK_SK,
    region: 'cb-123',
    product: 'oss-cloudbox',
    signingTime: unix(1702743657),
    expectedCanonicalRequest: V4_1_CANONICAL_REQUEST,
    expectedAuthorization:
      'OSS4-HMAC-SHA256 Credential=ak/20231216/cb-123/oss-cloudbox/aliyun_v4_request,' +
      'Signature=94ce1f12c17d148ea681030275a94449d3357f5b5b21133996eec80af3e08a43',
  },
];

// §3.4 common inputs: no x-oss-content-sha256, so the payload hash defaults to UNSIGNED-PAYLOAD.
const V4_PRESIGN_REQUEST: SignableRequest = {
  method: 'PUT',
  target: V4_TARGET,
  query: V4_QUERY,
  headers: {
    'x-oss-head1': 'value',
    abc: 'value',
    ZAbc: 'value',
    XYZ: 'value',
    'content-type': 'application/octet-stream',
  },
};

export const V4_PRESIGN_VECTORS: readonly V4PresignVector[] = [
  {
    id: 'V4-Q1',
    source: 'GO2 TestV4AuthQuery; PY2 test_auth_query',
    request: V4_PRESIGN_REQUEST,
    credentials: AK_SK,
    region: 'cn-hangzhou',
    product: 'oss',
    signingTime: unix(1702781677),
    expiresInSeconds: 599,
    expectedCanonicalQuery:
      `${V4_CANONICAL_QUERY}&x-oss-credential=ak%2F20231217%2Fcn-hangzhou%2Foss%2Faliyun_v4_request` +
      '&x-oss-date=20231217T025437Z&x-oss-expires=599&x-oss-signature-version=OSS4-HMAC-SHA256',
    expectedSignature: 'a39966c61718be0d5b14e668088b3fa07601033f6518ac7b523100014269c0fe',
  },
  {
    id: 'V4-Q2',
    source: 'GO2 TestV4AuthQueryToken; PY2 test_auth_query_with_token',
    request: V4_PRESIGN_REQUEST,
    credentials: AK_SK_TOKEN,
    region: 'cn-hangzhou',
    product: 'oss',
    signingTime: unix(1702785388),
    expiresInSeconds: 599,
    expectedSignature: '3817ac9d206cd6dfc90f1c09c00be45005602e55898f26f5ddb06d7892e1f8b5',
  },
  {
    id: 'V4-Q3',
    source: 'GO2 TestV4AuthQueryWithAdditionalHeaders; PY2 test_auth_query_with_additional_headers',
    request: V4_PRESIGN_REQUEST,
    credentials: AK_SK,
    region: 'cn-hangzhou',
    product: 'oss',
    signingTime: unix(1702783809),
    expiresInSeconds: 599,
    additionalHeaders: ['ZAbc', 'abc'],
    expectedSignature: '6bd984bfe531afb6db1f7550983a741b103a8c58e5e14f83ea474c2322dfa2b7',
  },
];

/** [derived] The V4 key chain (docs/wire/oss.md §3.3), secret `sk`. */
export const SIGNING_KEY_VECTORS: readonly SigningKeyVector[] = [
  {
    accessKeySecret: 'sk',
    date: '20231216',
    region: 'cn-hangzhou',
    product: 'oss',
    dateKey: '151acc75ab7203acc219c35ef7415d0c604d059c7140665fe78233ec8ae7f9ea',
    regionKey: 'cd7fb718a1d15d167938c1ea34698de973b43added106b102eba0973c9aad028',
    productKey: 'fde9c360ae5165f5a84690330c8bc545e6bde502ba8ba4972db81e5a2ea80bec',
    signingKey: 'b412a03b134ebddd720f5167b5de6db66620ebb3b01cff4d49e3ccb09f8de97f',
  },
  {
    accessKeySecret: 'sk',
    date: '20250417',
    region: 'cn-hangzhou',
    product: 'oss',
    signingKey: '5a93056969353a3e7cc791807cab15e7efa66115cf83353d695836dab7a7616e',
  },
  {
    accessKeySecret: 'sk',
    date: '20250417',
    region: 'cn-hangzhou',
    product: 'osstables',
    productKey: 'd4ba0baaf66d6e1b5371e4c49dfdc936f6fad510b2d31173e841deb9f47ec254',
    signingKey: 'ccac6b74471e43873a9826c007639b5e9b4241e44d65ccdc2559dd5b0c327ca5',
  },
];
