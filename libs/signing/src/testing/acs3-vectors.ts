/**
 * Every published ACS3-HMAC-SHA256 test vector we found, as data (docs/wire/kms-and-acs3.md §1.4).
 *
 * - DOCS = the worked example with fixed inputs of the Alibaba Cloud page "V3 request structure and
 *   signature" (help.aliyun.com/zh/sdk/product-overview/v3-request-structure-and-signature; the
 *   same page under alibabacloud.com/help/en/sdk/product-overview/v3-request-structure-and-signature).
 * - The official SDK utilities' `getAuthorization` unit tests, one request in every language:
 *   query `test=ok`, `empty=` (empty value), headers `x-acs-test: http` and `x-acs-TEST: https`,
 *   payload hash `55e12e91...` (the SM3 of `test`), AccessKey `acesskey` / `secret`. The languages
 *   differ only in what their request object holds when the test leaves a field unset, so each
 *   vector states the method and path the SDK actually signed ([derived] where noted).
 *
 * Canonical requests and strings to sign marked [derived] were recomputed from the documented
 * rules and reproduce the official signature; they locate a mismatch step by step.
 */
import type { Acs3Request } from '../acs3-signer';
import type { QueryParam } from '../types';

/** A full signing: {@link signAcs3} adds the common headers. */
export interface Acs3SignVector {
  readonly id: string;
  readonly source: string;
  readonly request: Acs3Request;
  readonly accessKeyId: string;
  readonly accessKeySecret: string;
  readonly action: string;
  readonly version: string;
  readonly signingTime: Date;
  readonly nonce: string;
  readonly body: string;
  /** [derived] */
  readonly expectedCanonicalRequest: string;
  readonly expectedAuthorization: string;
}

/** The SDKs' `getAuthorization` step: the request signed exactly as given. */
export interface Acs3AuthorizationVector {
  readonly id: string;
  readonly source: string;
  readonly request: Acs3Request;
  readonly hashedPayload: string;
  readonly accessKeyId: string;
  readonly accessKeySecret: string;
  readonly expectedAuthorization: string;
}

const EMPTY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

export const ACS3_SIGN_VECTORS: readonly Acs3SignVector[] = [
  {
    id: 'DOCS-RunInstances',
    source:
      'help.aliyun.com/zh/sdk/product-overview/v3-request-structure-and-signature, the fixed-parameter example',
    request: {
      method: 'POST',
      path: '/',
      query: [
        ['ImageId', 'win2019_1809_x64_dtc_zh-cn_40G_alibase_20230811.vhd'],
        ['RegionId', 'cn-shanghai'],
      ],
      headers: { host: 'ecs.cn-shanghai.aliyuncs.com' },
    },
    accessKeyId: 'YourAccessKeyId',
    accessKeySecret: 'YourAccessKeySecret',
    action: 'RunInstances',
    version: '2014-05-26',
    signingTime: new Date('2023-10-26T10:22:32Z'),
    nonce: '3156853299f313e23d1673dc12e1703d',
    body: '',
    expectedCanonicalRequest: [
      'POST',
      '/',
      'ImageId=win2019_1809_x64_dtc_zh-cn_40G_alibase_20230811.vhd&RegionId=cn-shanghai',
      'host:ecs.cn-shanghai.aliyuncs.com',
      'x-acs-action:RunInstances',
      `x-acs-content-sha256:${EMPTY_SHA256}`,
      'x-acs-date:2023-10-26T10:22:32Z',
      'x-acs-signature-nonce:3156853299f313e23d1673dc12e1703d',
      'x-acs-version:2014-05-26',
      '',
      'host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version',
      EMPTY_SHA256,
    ].join('\n'),
    expectedAuthorization:
      'ACS3-HMAC-SHA256 Credential=YourAccessKeyId,SignedHeaders=host;x-acs-action;x-acs-content-sha256;' +
      'x-acs-date;x-acs-signature-nonce;x-acs-version,' +
      'Signature=06563a9e1b43f5dfe96b81484da74bceab24a1d853912eee15083a6f0f3283c0',
  },
];

const SDK_QUERY: readonly QueryParam[] = [
  ['test', 'ok'],
  ['empty', ''],
];
const SDK_HEADERS = { 'x-acs-test': 'http', 'x-acs-TEST': 'https' };
const SDK_PAYLOAD = '55e12e91650d2fec56ec74e1d3e4ddbfce2ef3a65890c2a19ecf88a307e76a23';
const SDK_KEY = { accessKeyId: 'acesskey', accessKeySecret: 'secret' };
const authorizationWith = (signature: string, signedHeaders = 'x-acs-test') =>
  `ACS3-HMAC-SHA256 Credential=acesskey,SignedHeaders=${signedHeaders},Signature=${signature}`;

export const ACS3_AUTHORIZATION_VECTORS: readonly Acs3AuthorizationVector[] = [
  {
    id: 'TS-util',
    source:
      'aliyun/darabonba-openapi-util ts/test/client.spec.ts and aliyun/darabonba-openapi ts/test/util.spec.ts ' +
      '("getAuthorization should ok"); the method is left unset, which the TS SDK signs as `undefined`',
    request: { method: 'undefined', path: '', query: SDK_QUERY, headers: SDK_HEADERS },
    hashedPayload: SDK_PAYLOAD,
    ...SDK_KEY,
    expectedAuthorization: authorizationWith(
      '0f2d549523cf082c83bb8135b5863614f7fe16ca7c2c7fc537e74d67374eeeac',
    ),
  },
  {
    id: 'TS-util-empty',
    source: 'same tests, second case: no query, no headers, method unset',
    request: { method: 'undefined', path: '', query: [], headers: {} },
    hashedPayload: SDK_PAYLOAD,
    ...SDK_KEY,
    expectedAuthorization: authorizationWith(
      '608b887e491f3e88e85276b188a4d24e29230a559464685ccbf2dcc458e1fde8',
      '',
    ),
  },
  {
    id: 'Go-util',
    source:
      'aliyun/darabonba-openapi-util golang/service/service_test.go and aliyun/darabonba-openapi Go util ' +
      'tests (Test_GetAuthorization); method unset (signed as empty), path [derived] `/`',
    request: { method: '', path: '/', query: SDK_QUERY, headers: SDK_HEADERS },
    hashedPayload: SDK_PAYLOAD,
    ...SDK_KEY,
    expectedAuthorization: authorizationWith(
      '4ab59fffe3c5738ff8a2729f90cc04fe18b02a4b15b2102cbaf92f9ff3df2ea3',
    ),
  },
  {
    id: 'C++-util',
    source:
      'aliyun/darabonba-openapi-util cpp/tests/main.cpp (getAuthorization); default method GET, path empty',
    request: { method: 'GET', path: '', query: SDK_QUERY, headers: SDK_HEADERS },
    hashedPayload: SDK_PAYLOAD,
    ...SDK_KEY,
    expectedAuthorization: authorizationWith(
      '910e59dd385879346de704a06c96613f8157aa7124e6d1c4f2bdffa1e5588187',
    ),
  },
  {
    id: 'C++-openapi',
    source:
      'aliyun/darabonba-openapi cpp/tests/test_utils.cpp (getAuthorization); default method GET, path `/`',
    request: { method: 'GET', path: '/', query: SDK_QUERY, headers: SDK_HEADERS },
    hashedPayload: SDK_PAYLOAD,
    ...SDK_KEY,
    expectedAuthorization: authorizationWith(
      'd16b30a7699ae9e43875b13195b2f81bcc3ed10c14a9b5eb780e51619aa50be1',
    ),
  },
  {
    id: 'Java-Swift-util',
    source:
      'aliyun/darabonba-openapi-util java/src/test/java/com/aliyun/openapiutil/ClientTest.java and ' +
      'swift/Tests/AlibabaCloudOpenApiUtilTests/AlibabaCloudOpenApiUtilTests.swift; their header map keeps ' +
      'one of the two case variants (`http`) before signing, so that is the input here',
    request: { method: 'GET', path: '/', query: SDK_QUERY, headers: { 'x-acs-test': 'http' } },
    hashedPayload: SDK_PAYLOAD,
    ...SDK_KEY,
    expectedAuthorization: authorizationWith(
      '02e81f9f3cc8839151b0c7278024cbc4bfc9fa786085a0b8305f825f17b5dae7',
    ),
  },
  {
    id: 'PHP-util',
    source:
      'aliyun/darabonba-openapi-util php/tests/OpenApiUtilClientTest.php (testGetAuthorization); method and ' +
      'pathname empty (path signed as `/`), and the PHP array keeps the last case variant (`https`)',
    request: { method: '', path: '/', query: SDK_QUERY, headers: { 'x-acs-test': 'https' } },
    hashedPayload: SDK_PAYLOAD,
    ...SDK_KEY,
    expectedAuthorization: authorizationWith(
      '0a0f89a45f1ec3537a2d1a1046c71b95513a8f1f02526056968da19b99a5b914',
    ),
  },
  {
    id: 'PHP-util-no-query',
    source: 'same test, second case: query null',
    request: { method: '', path: '/', query: [], headers: { 'x-acs-test': 'https' } },
    hashedPayload: SDK_PAYLOAD,
    ...SDK_KEY,
    expectedAuthorization: authorizationWith(
      'af6d32deb090ae85a21d7183055cf18dca17751da96979cdf964f8f0853e9dd2',
    ),
  },
];

/**
 * A superseded form: older releases signed an empty value as a bare `name` instead of `name=`.
 * Every current SDK and the documentation use `name=`; we assert the difference instead.
 */
export const SUPERSEDED_EMPTY_VALUE_VECTOR: Acs3AuthorizationVector = {
  id: 'CSharp-TS-old-util',
  source:
    'aliyun/darabonba-openapi-util csharp/tests/ClientTest.cs (Test_GetAuthorization) and an older ' +
    'ts/test/client.spec.ts (method GET, path empty); canonical query `empty&test=ok`',
  request: { method: 'GET', path: '', query: SDK_QUERY, headers: SDK_HEADERS },
  hashedPayload: SDK_PAYLOAD,
  ...SDK_KEY,
  expectedAuthorization: authorizationWith(
    'da772425f29289d3460d5fc961455d40c5e8c6afd0888b78a910c991e6a14846',
  ),
};
