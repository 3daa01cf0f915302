import { tablesSigningTarget } from '@app/signing';

import { OssArgumentError, OssError } from './errors';
import { createMockService, verifySeenRequest } from './testing/mock-service';
import { OssTablesClient } from './oss-tables-client';
import {
  LIST_TABLE_BUCKETS_GO2,
  TABLE_ENCRYPTION_AES256_DOC,
  TABLES_ERROR_NO_SUCH_BUCKET_GO2,
} from './testing/oss-responses';

const ARN = 'acs:osstables:cn-hangzhou:1234567890:bucket/my-table-bucket';
const ENCODED_ARN = 'acs%3Aosstables%3Acn-hangzhou%3A1234567890%3Abucket%2Fmy-table-bucket';
const ORIGIN = 'https://cn-hangzhou.oss-tables.aliyuncs.com';
const ENCRYPTION_PATH = `/buckets/${ENCODED_ARN}/encryption`;
const JSON_HEADERS = { headers: { 'content-type': 'application/json', 'x-oss-request-id': 'REQ-T' } };

function tablesError(status: number, type: string, message: string, ec?: string) {
  return [
    status,
    JSON.stringify({ message }),
    {
      headers: {
        'content-type': 'application/json',
        'x-oss-error-type': type,
        'x-oss-request-id': 'REQ-E',
        ...(ec === undefined ? {} : { 'x-oss-ec': ec }),
      },
    },
  ] as const;
}

describe('OssTablesClient', () => {
  let service: ReturnType<typeof createMockService>;
  let client: OssTablesClient;

  beforeEach(() => {
    service = createMockService();
    client = new OssTablesClient(service.options);
  });

  afterEach(async () => {
    await service.agent.close();
  });

  describe('getTableBucketEncryption', () => {
    it('sends the ARN encoded once in the path, signed with V4 for osstables in the ARN region', async () => {
      service.agent
        .get(ORIGIN)
        .intercept({ path: ENCRYPTION_PATH, method: 'GET' })
        .reply(200, TABLE_ENCRYPTION_AES256_DOC, JSON_HEADERS);
      await client.getTableBucketEncryption(ARN);
      const [request] = service.requests();
      expect(request!.path).toBe(ENCRYPTION_PATH);
      expect(request!.headers['host']).toBe('cn-hangzhou.oss-tables.aliyuncs.com');
      expect(request!.headers['authorization']).toMatch(
        /Credential=STS\.NTestKeyId\/20250417\/cn-hangzhou\/osstables\//,
      );
      expect(verifySeenRequest(request!, tablesSigningTarget(ARN, 'encryption'))).toMatchObject({
        ok: true,
        product: 'osstables',
      });
    });

    it('returns the configuration with the request id', async () => {
      service.agent
        .get(ORIGIN)
        .intercept({ path: ENCRYPTION_PATH, method: 'GET' })
        .reply(200, TABLE_ENCRYPTION_AES256_DOC, JSON_HEADERS);
      await expect(client.getTableBucketEncryption(ARN)).resolves.toEqual({
        outcome: 'configuration',
        configuration: { sseAlgorithm: 'AES256', kmsKeyArn: null },
        requestId: 'REQ-T',
      });
    });

    it('reads a 200 with an empty configuration as no_configuration', async () => {
      service.agent
        .get(ORIGIN)
        .intercept({ path: ENCRYPTION_PATH, method: 'GET' })
        .reply(200, '{"encryptionConfiguration":{}}', JSON_HEADERS);
      await expect(client.getTableBucketEncryption(ARN)).resolves.toEqual({
        outcome: 'no_configuration',
        requestId: 'REQ-T',
      });
    });

    it('reads a 404 saying the encryption configuration does not exist as no_configuration', async () => {
      service.agent
        .get(ORIGIN)
        .intercept({ path: ENCRYPTION_PATH, method: 'GET' })
        .reply(
          ...tablesError(404, 'NotFoundException', 'The specified encryption configuration does not exist.'),
        );
      await expect(client.getTableBucketEncryption(ARN)).resolves.toEqual({
        outcome: 'no_configuration',
        requestId: 'REQ-E',
      });
    });

    it('reads the GO2 404 for a missing table bucket as bucket_missing', async () => {
      service.agent
        .get(ORIGIN)
        .intercept({ path: ENCRYPTION_PATH, method: 'GET' })
        .reply(404, TABLES_ERROR_NO_SUCH_BUCKET_GO2, {
          headers: { 'x-oss-ec': '0015-00000101', 'x-oss-request-id': 'R4' },
        });
      await expect(client.getTableBucketEncryption(ARN)).resolves.toEqual({
        outcome: 'bucket_missing',
        requestId: 'R4',
      });
    });

    it('keeps a 404 that says neither as an error instead of guessing', async () => {
      service.agent
        .get(ORIGIN)
        .intercept({ path: ENCRYPTION_PATH, method: 'GET' })
        .reply(...tablesError(404, 'NotFoundException', 'Not found.'));
      await expect(client.getTableBucketEncryption(ARN)).resolves.toMatchObject({
        outcome: 'error',
        error: { code: 'NotFoundException', httpStatus: 404, attempts: 1 },
      });
    });

    it('returns a denial with the x-oss-error-type code', async () => {
      service.agent
        .get(ORIGIN)
        .intercept({ path: ENCRYPTION_PATH, method: 'GET' })
        .reply(...tablesError(403, 'AccessDeniedException', 'You are not authorized.', '0003-00000301'));
      await expect(client.getTableBucketEncryption(ARN)).resolves.toEqual({
        outcome: 'error',
        error: {
          code: 'AccessDeniedException',
          message: 'You are not authorized.',
          requestId: 'REQ-E',
          ec: '0003-00000301',
          httpStatus: 403,
          operation: 'GetTableBucketEncryption',
          attempts: 1,
          kind: 'service',
        },
      });
    });

    it('retries TooManyRequestsException as a throttle', async () => {
      const pool = service.agent.get(ORIGIN);
      pool
        .intercept({ path: ENCRYPTION_PATH, method: 'GET' })
        .reply(...tablesError(429, 'TooManyRequestsException', 'Please reduce your request rate.'));
      pool
        .intercept({ path: ENCRYPTION_PATH, method: 'GET' })
        .reply(200, TABLE_ENCRYPTION_AES256_DOC, JSON_HEADERS);
      await expect(client.getTableBucketEncryption(ARN)).resolves.toMatchObject({ outcome: 'configuration' });
      expect(service.sleeps).toEqual([500]);
    });

    it('reports 30-deep JSON as malformed_response', async () => {
      service.agent
        .get(ORIGIN)
        .intercept({ path: ENCRYPTION_PATH, method: 'GET' })
        .reply(200, '{"a":'.repeat(30) + '1' + '}'.repeat(30), JSON_HEADERS);
      await expect(client.getTableBucketEncryption(ARN)).resolves.toMatchObject({
        outcome: 'error',
        error: { kind: 'malformed_response' },
      });
    });

    it('throws OssArgumentError for an invalid ARN', async () => {
      await expect(client.getTableBucketEncryption('acs:oss:cn-hangzhou:1:bucket/x')).rejects.toThrow(
        OssArgumentError,
      );
    });
  });

  describe('listTableBuckets', () => {
    async function collect(region: string, prefix?: string): Promise<string[]> {
      const arns: string[] = [];
      for await (const bucket of client.listTableBuckets(region, prefix === undefined ? {} : { prefix })) {
        arns.push(bucket.arn);
      }
      return arns;
    }

    it('walks every page with continuationToken, signed for the listing region', async () => {
      const token =
        'Cj5hY3M6b3NzdGFibGVzOmNuLWJlaWppbmc6MTc2MDIyNTU0NTA4NDMzMTpidWNrZXQvZGVtby13YWxrZXItMQ--';
      const pool = service.agent.get('https://cn-beijing.oss-tables.aliyuncs.com');
      pool
        .intercept({ path: '/buckets?maxBuckets=1000', method: 'GET' })
        .reply(200, LIST_TABLE_BUCKETS_GO2, JSON_HEADERS);
      pool
        .intercept({ path: `/buckets?continuationToken=${token}&maxBuckets=1000`, method: 'GET' })
        .reply(
          200,
          '{"tableBuckets":[{"arn":"acs:osstables:cn-beijing:1234567890:bucket/second"}]}',
          JSON_HEADERS,
        );
      await expect(collect('cn-beijing')).resolves.toEqual([
        'acs:osstables:cn-beijing:1234567890:bucket/demo-bucket',
        'acs:osstables:cn-beijing:1234567890:bucket/second',
      ]);
      const [first] = service.requests();
      expect(verifySeenRequest(first!, tablesSigningTarget(undefined, ''))).toMatchObject({
        ok: true,
        region: 'cn-beijing',
        product: 'osstables',
      });
    });

    it('sends the prefix', async () => {
      service.agent
        .get(ORIGIN)
        .intercept({ path: '/buckets?maxBuckets=1000&prefix=demo', method: 'GET' })
        .reply(200, '{"tableBuckets":[]}', JSON_HEADERS);
      await expect(collect('cn-hangzhou', 'demo')).resolves.toEqual([]);
    });

    it('throws OssError when a page fails', async () => {
      service.agent
        .get(ORIGIN)
        .intercept({ path: '/buckets?maxBuckets=1000', method: 'GET' })
        .reply(...tablesError(403, 'ForbiddenException', 'UserDisable'));
      await expect(collect('cn-hangzhou')).rejects.toBeInstanceOf(OssError);
    });

    it('refuses a page whose token repeats the one sent', async () => {
      const pool = service.agent.get(ORIGIN);
      pool
        .intercept({ path: '/buckets?maxBuckets=1000', method: 'GET' })
        .reply(200, '{"continuationToken":"t1","tableBuckets":[]}', JSON_HEADERS);
      pool
        .intercept({ path: '/buckets?continuationToken=t1&maxBuckets=1000', method: 'GET' })
        .reply(200, '{"continuationToken":"t1","tableBuckets":[]}', JSON_HEADERS);
      await expect(collect('cn-hangzhou')).rejects.toMatchObject({ info: { kind: 'malformed_response' } });
    });
  });
});
