import {
  LIST_TABLE_BUCKETS_GO2,
  TABLE_ENCRYPTION_AES256_DOC,
  TABLES_ERROR_NO_SUCH_BUCKET_GO2,
  TABLES_ERROR_USER_DISABLE_GO2,
} from '../testing/oss-responses';
import { MalformedDocumentError } from './safe-documents';
import type { RawResponse } from './service-error';
import { parseListTableBucketsPage, parseTableBucketEncryption, parseTablesError } from './tables-responses';

const NOW = Date.parse('2025-04-17T08:00:00Z');

function response(
  status: number,
  body: string,
  headers: Record<string, string> = {},
  statusText = '',
): RawResponse {
  return { status, statusText, headers, body: Buffer.from(body) };
}

describe('parseListTableBucketsPage', () => {
  it('reads the GO2 fixture: every field, the region from the ARN, and the token', () => {
    expect(parseListTableBucketsPage(Buffer.from(LIST_TABLE_BUCKETS_GO2))).toEqual({
      continuationToken:
        'Cj5hY3M6b3NzdGFibGVzOmNuLWJlaWppbmc6MTc2MDIyNTU0NTA4NDMzMTpidWNrZXQvZGVtby13YWxrZXItMQ--',
      tableBuckets: [
        {
          arn: 'acs:osstables:cn-beijing:1234567890:bucket/demo-bucket',
          name: 'demo-bucket',
          ownerAccountId: '1234567890',
          createdAt: '2026-04-02T05:27:31.000000+00:00',
          tableBucketId: '340c6672-0a1f-4426-aff9-1a8e2ac7b0f5',
          type: 'customer',
          region: 'cn-beijing',
        },
      ],
    });
  });

  it('ends paging when the token is absent or empty', () => {
    expect(parseListTableBucketsPage(Buffer.from('{"tableBuckets":[]}')).continuationToken).toBeNull();
    expect(
      parseListTableBucketsPage(Buffer.from('{"continuationToken":"","tableBuckets":[]}')).continuationToken,
    ).toBeNull();
  });

  it.each([
    ['an invalid ARN', '{"tableBuckets":[{"arn":"acs:oss:cn-beijing:1:bucket/x","name":"x"}]}'],
    [
      'a name that contradicts the ARN',
      '{"tableBuckets":[{"arn":"acs:osstables:cn-beijing:1:bucket/abc","name":"abd"}]}',
    ],
    ['tableBuckets that is not an array', '{"tableBuckets":{}}'],
    [
      'a non-string field',
      '{"tableBuckets":[{"arn":"acs:osstables:cn-beijing:1:bucket/abc","createdAt":5}]}',
    ],
    ['a JSON array at the top', '[]'],
  ])('rejects %s as malformed', (_label, json) => {
    expect(() => parseListTableBucketsPage(Buffer.from(json))).toThrow(MalformedDocumentError);
  });
});

describe('parseTableBucketEncryption', () => {
  it('reads the doc sample: AES256 with an empty kmsKeyArn read as null', () => {
    expect(parseTableBucketEncryption(Buffer.from(TABLE_ENCRYPTION_AES256_DOC))).toEqual({
      sseAlgorithm: 'AES256',
      kmsKeyArn: null,
    });
  });

  it('reads KMS with its key ARN', () => {
    const body =
      '{"encryptionConfiguration":{"kmsKeyArn":"acs:kms:cn-hangzhou:1234567890:key/key-id","sseAlgorithm":"KMS"}}';
    expect(parseTableBucketEncryption(Buffer.from(body))).toEqual({
      sseAlgorithm: 'KMS',
      kmsKeyArn: 'acs:kms:cn-hangzhou:1234567890:key/key-id',
    });
  });

  it.each([
    ['an empty body', ''],
    ['an empty object', '{}'],
    ['a null configuration', '{"encryptionConfiguration":null}'],
    ['an empty configuration', '{"encryptionConfiguration":{}}'],
    ['an empty algorithm', '{"encryptionConfiguration":{"sseAlgorithm":"","kmsKeyArn":""}}'],
  ])('reads %s as no configuration', (_label, body) => {
    expect(parseTableBucketEncryption(Buffer.from(body))).toBeNull();
  });

  it.each([
    ['a key without an algorithm', '{"encryptionConfiguration":{"kmsKeyArn":"acs:kms:cn-hangzhou:1:key/k"}}'],
    ['a configuration that is not an object', '{"encryptionConfiguration":"AES256"}'],
    ['truncated JSON', '{"encryptionConfiguration":{"sseAlg'],
  ])('rejects %s as malformed', (_label, body) => {
    expect(() => parseTableBucketEncryption(Buffer.from(body))).toThrow(MalformedDocumentError);
  });
});

describe('parseTablesError', () => {
  it('takes the code from x-oss-error-type and the message from the body', () => {
    const details = parseTablesError(
      response(404, TABLES_ERROR_NO_SUCH_BUCKET_GO2, {
        'x-oss-error-type': 'NotFoundException',
        'x-oss-request-id': 'REQ-T',
        'x-oss-ec': '0015-00000101',
      }),
      NOW,
    );
    expect(details).toEqual({
      code: 'NotFoundException',
      message: 'The specified bucket does not exist.',
      requestId: 'REQ-T',
      ec: '0015-00000101',
      httpStatus: 404,
      serverTime: null,
      retryAfterMs: null,
    });
  });

  it('takes the code from a JSON Error object when the header is absent', () => {
    const body = '{"Error":{"Code":"AccessDenied","Message":"denied","RequestId":"R","EC":"0003-00000301"}}';
    const details = parseTablesError(response(403, body), NOW);
    expect([details.code, details.message, details.requestId, details.ec]).toEqual([
      'AccessDenied',
      'denied',
      'R',
      '0003-00000301',
    ]);
  });

  it('uses the reason phrase as the code when neither names one (the GO2 reading)', () => {
    const details = parseTablesError(response(403, TABLES_ERROR_USER_DISABLE_GO2, {}, 'Forbidden'), NOW);
    expect([details.code, details.message]).toEqual(['Forbidden', 'UserDisable']);
  });

  it('survives a hostile error body', () => {
    const details = parseTablesError(response(500, '['.repeat(100) + ']'.repeat(100)), NOW);
    expect(details.code).toBe('Internal Server Error');
  });
});
