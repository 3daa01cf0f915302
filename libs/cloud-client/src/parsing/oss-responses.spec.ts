import {
  ENCRYPTION_AES256_GO2,
  ENCRYPTION_KMS_DEFAULT_KEY,
  ENCRYPTION_KMS_GO2,
  ENCRYPTION_KMS_SM4_GO2,
  ERROR_ACCESS_DENIED_GO2,
  ERROR_NO_SUCH_BUCKET_GO2,
  ERROR_TIME_SKEWED_J1,
  LIST_BUCKETS_LAST_PAGE,
  LIST_BUCKETS_TRUNCATED_GO2,
} from '../testing/oss-responses';
import { parseBucketEncryptionRule, parseListBucketsPage, parseOssError } from './oss-responses';
import { MalformedDocumentError } from './safe-documents';
import type { RawResponse } from './service-error';

const NOW = Date.parse('2025-04-17T08:00:00Z');

function response(
  status: number,
  body: string,
  headers: Record<string, string> = {},
  statusText = '',
): RawResponse {
  return { status, statusText, headers, body: Buffer.from(body) };
}

describe('parseListBucketsPage', () => {
  it('reads the GO2 truncated page with every bucket field and the next marker', () => {
    expect(parseListBucketsPage(Buffer.from(LIST_BUCKETS_TRUNCATED_GO2))).toEqual({
      nextMarker: 'mybucket10',
      buckets: [
        {
          name: 'mybucket01',
          region: 'cn-hangzhou',
          location: 'oss-cn-hangzhou',
          creationDate: '2014-05-14T11:18:32.000Z',
          storageClass: 'Standard',
          extranetEndpoint: 'oss-cn-hangzhou.aliyuncs.com',
          intranetEndpoint: 'oss-cn-hangzhou-internal.aliyuncs.com',
          resourceGroupId: null,
        },
      ],
    });
  });

  it('ends paging on a page without IsTruncated and derives a missing Region from Location', () => {
    const page = parseListBucketsPage(Buffer.from(LIST_BUCKETS_LAST_PAGE));
    expect(page.nextMarker).toBeNull();
    expect(page.buckets.map((bucket) => [bucket.name, bucket.region, bucket.resourceGroupId])).toEqual([
      ['app-base-oss', 'cn-shanghai', 'rg-aek27tc********'],
      ['mybucket', 'cn-hangzhou', null],
    ]);
  });

  it('reads an account without buckets', () => {
    expect(
      parseListBucketsPage(Buffer.from('<ListAllMyBucketsResult><Buckets/></ListAllMyBucketsResult>')),
    ).toEqual({
      buckets: [],
      nextMarker: null,
    });
  });

  it.each([
    [
      'a truncated page without NextMarker',
      '<ListAllMyBucketsResult><IsTruncated>true</IsTruncated><Buckets/></ListAllMyBucketsResult>',
    ],
    [
      'an IsTruncated that is not a boolean',
      '<ListAllMyBucketsResult><IsTruncated>yes</IsTruncated></ListAllMyBucketsResult>',
    ],
    [
      'a bucket without Region or Location',
      '<ListAllMyBucketsResult><Buckets><Bucket><Name>abc</Name></Bucket></Buckets></ListAllMyBucketsResult>',
    ],
    [
      'a bucket name that cannot be a host label',
      '<ListAllMyBucketsResult><Buckets><Bucket><Name>a.b/c</Name><Region>cn-hangzhou</Region></Bucket></Buckets></ListAllMyBucketsResult>',
    ],
    ['another root element', '<Error><Code>X</Code></Error>'],
  ])('rejects %s as malformed', (_label, xml) => {
    expect(() => parseListBucketsPage(Buffer.from(xml))).toThrow(MalformedDocumentError);
  });
});

describe('parseBucketEncryptionRule', () => {
  it('reads the GO2 KMS fixture with its customer key id', () => {
    expect(parseBucketEncryptionRule(Buffer.from(ENCRYPTION_KMS_GO2))).toEqual({
      sseAlgorithm: 'KMS',
      kmsMasterKeyId: '9468da86-3509-4f8d-a61e-6eab1eac****',
      kmsDataEncryption: null,
    });
  });

  it('reads the GO2 KMS fixture with SM4 data encryption', () => {
    expect(parseBucketEncryptionRule(Buffer.from(ENCRYPTION_KMS_SM4_GO2))).toEqual({
      sseAlgorithm: 'KMS',
      kmsMasterKeyId: '9468da86-3509-4f8d-a61e-6eab1eac****',
      kmsDataEncryption: 'SM4',
    });
  });

  it('reads the GO2 AES256 fixture without key fields', () => {
    expect(parseBucketEncryptionRule(Buffer.from(ENCRYPTION_AES256_GO2))).toEqual({
      sseAlgorithm: 'AES256',
      kmsMasterKeyId: null,
      kmsDataEncryption: null,
    });
  });

  it('reads an empty KMSMasterKeyID as no customer key', () => {
    expect(parseBucketEncryptionRule(Buffer.from(ENCRYPTION_KMS_DEFAULT_KEY)).kmsMasterKeyId).toBeNull();
  });

  it.each([
    ['a rule without ApplyServerSideEncryptionByDefault', '<ServerSideEncryptionRule/>'],
    [
      'a rule without SSEAlgorithm',
      '<ServerSideEncryptionRule><ApplyServerSideEncryptionByDefault><KMSMasterKeyID>k</KMSMasterKeyID></ApplyServerSideEncryptionByDefault></ServerSideEncryptionRule>',
    ],
    ['a truncated document', '<ServerSideEncryptionRule><ApplyServerSideEncryptionByDefault><SSEAlgo'],
  ])('rejects %s as malformed', (_label, xml) => {
    expect(() => parseBucketEncryptionRule(Buffer.from(xml))).toThrow(MalformedDocumentError);
  });
});

describe('parseOssError', () => {
  it('reads code, message, request id and EC of the GO2 NoSuchBucket fixture', () => {
    expect(parseOssError(response(404, ERROR_NO_SUCH_BUCKET_GO2), NOW)).toEqual({
      code: 'NoSuchBucket',
      message: 'The specified bucket does not exist.',
      requestId: '5C3D9175B6FC201293AD****',
      ec: '0015-00000101',
      httpStatus: 404,
      serverTime: null,
      retryAfterMs: null,
    });
  });

  it('prefers the request id and EC headers to the body', () => {
    const details = parseOssError(
      response(403, ERROR_ACCESS_DENIED_GO2, { 'x-oss-request-id': 'HDR-ID', 'x-oss-ec': '0003-00000001' }),
      NOW,
    );
    expect([details.code, details.requestId, details.ec]).toEqual([
      'AccessDenied',
      'HDR-ID',
      '0003-00000001',
    ]);
  });

  it('reads ServerTime of the J1 RequestTimeTooSkewed fixture', () => {
    expect(parseOssError(response(403, ERROR_TIME_SKEWED_J1), NOW).serverTime).toBe(
      '2025-04-10T10:00:57.000Z',
    );
  });

  it('reads ServerTime nested in <Detail>', () => {
    const xml =
      '<Error><Code>RequestTimeTooSkewed</Code><Detail><ServerTime>2025-04-10T10:00:57.000Z</ServerTime></Detail></Error>';
    expect(parseOssError(response(403, xml), NOW).serverTime).toBe('2025-04-10T10:00:57.000Z');
  });

  it('decodes the base64 x-oss-err header when the body is empty', () => {
    const header = Buffer.from(ERROR_NO_SUCH_BUCKET_GO2).toString('base64');
    expect(parseOssError(response(404, '', { 'x-oss-err': header }), NOW).code).toBe('NoSuchBucket');
  });

  it('falls back to the reason phrase when the body is not an OSS error (e.g. a proxy page)', () => {
    const details = parseOssError(
      response(502, '<html><body>Bad gateway</body></html>', {}, 'Bad Gateway'),
      NOW,
    );
    expect([details.code, details.message]).toEqual(['Bad Gateway', 'HTTP 502 Bad Gateway']);
  });

  it('ignores a hostile error body instead of parsing it', () => {
    const bomb = '<!DOCTYPE x [<!ENTITY a "aaaa">]><Error><Code>&a;</Code></Error>';
    expect(parseOssError(response(503, bomb), NOW).code).toBe('Service Unavailable');
  });

  it('reads the delay asked by x-oss-qos-delay-time (ms) and Retry-After (seconds or date)', () => {
    expect(parseOssError(response(503, '', { 'x-oss-qos-delay-time': '750' }), NOW).retryAfterMs).toBe(750);
    expect(parseOssError(response(429, '', { 'retry-after': '2' }), NOW).retryAfterMs).toBe(2000);
    const inThreeSeconds = new Date(NOW + 3000).toUTCString();
    expect(parseOssError(response(429, '', { 'retry-after': inThreeSeconds }), NOW).retryAfterMs).toBe(3000);
  });
});
