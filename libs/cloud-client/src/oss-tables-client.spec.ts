import { tablesResourceSigningTarget, tablesSigningTarget } from '@app/signing';

import { OssArgumentError, OssError } from './errors';
import { createMockService, verifySeenRequest } from './testing/mock-service';
import { OssTablesClient } from './oss-tables-client';
import { tablesMissingResource } from './parsing/tables-not-found';
import {
  LIST_NAMESPACES_GO2,
  LIST_TABLE_BUCKETS_GO2,
  TABLE_ENCRYPTION_AES256_DOC,
  TABLE_ENCRYPTION_AES256_GO2,
  TABLE_ENCRYPTION_KMS_DOC,
  TABLES_ERROR_NO_SUCH_BUCKET_GO2,
  TABLES_ERROR_NO_SUCH_NAMESPACE_GO2,
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
        .reply(...tablesError(403, 'ForbiddenException', 'You are not authorized.', '0003-00000301'));
      await expect(client.getTableBucketEncryption(ARN)).resolves.toEqual({
        outcome: 'error',
        error: {
          code: 'ForbiddenException',
          message: 'You are not authorized.',
          requestId: 'REQ-E',
          ec: '0003-00000301',
          httpStatus: 403,
          operation: 'GetTableBucketEncryption',
          attempts: 1,
          host: 'cn-hangzhou.oss-tables.aliyuncs.com',
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
        .reply(200, '{"a":'.repeat(30) + '1' + '}'.repeat(30), JSON_HEADERS)
        .times(3);
      await expect(client.getTableBucketEncryption(ARN)).resolves.toMatchObject({
        outcome: 'error',
        error: { kind: 'malformed_response', attempts: 3 },
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
        .reply(200, '{"continuationToken":"t1","tableBuckets":[]}', JSON_HEADERS)
        .times(3);
      await expect(collect('cn-hangzhou')).rejects.toMatchObject({
        info: { kind: 'malformed_response', attempts: 3 },
      });
    });
  });

  describe('listNamespaces', () => {
    const NAMESPACES_PATH = `/namespaces/${ENCODED_ARN}`;

    async function names(options: { prefix?: string; pageSize?: number } = {}): Promise<string[]> {
      const found: string[] = [];
      for await (const namespace of client.listNamespaces(ARN, options)) found.push(namespace.name);
      return found;
    }

    it('sends the ARN as one encoded segment, signed with V4 for osstables in the ARN region', async () => {
      service.agent
        .get(ORIGIN)
        .intercept({ path: `${NAMESPACES_PATH}?maxNamespaces=1000`, method: 'GET' })
        .reply(200, '{"namespaces":[]}', JSON_HEADERS);
      await names();
      const [request] = service.requests();
      expect(request!.headers['host']).toBe('cn-hangzhou.oss-tables.aliyuncs.com');
      expect(verifySeenRequest(request!, tablesResourceSigningTarget('namespaces', ARN, []))).toMatchObject({
        ok: true,
        region: 'cn-hangzhou',
        product: 'osstables',
      });
    });

    it('walks every page with continuationToken, sending the page size and prefix', async () => {
      const pool = service.agent.get(ORIGIN);
      pool
        .intercept({ path: `${NAMESPACES_PATH}?maxNamespaces=2&prefix=my`, method: 'GET' })
        .reply(200, LIST_NAMESPACES_GO2, JSON_HEADERS);
      pool
        .intercept({
          path: `${NAMESPACES_PATH}?continuationToken=CgxteV9uYW1lc3BhY2U-&maxNamespaces=2&prefix=my`,
          method: 'GET',
        })
        .reply(200, '{"namespaces":[{"namespace":["my_third"]}]}', JSON_HEADERS);
      await expect(names({ prefix: 'my', pageSize: 2 })).resolves.toEqual([
        'my_namespace',
        'demo_namespace',
        'my_third',
      ]);
    });

    it('throws OssError for a missing table bucket, which tablesMissingResource names', async () => {
      service.agent
        .get(ORIGIN)
        .intercept({ path: `${NAMESPACES_PATH}?maxNamespaces=1000`, method: 'GET' })
        .reply(
          ...tablesError(404, 'NotFoundException', 'The specified bucket does not exist.', '0015-00000101'),
        );
      const failure = (await names().catch((error: unknown) => error)) as OssError;
      expect(failure).toBeInstanceOf(OssError);
      expect(failure.info).toMatchObject({ operation: 'ListNamespaces', httpStatus: 404, attempts: 1 });
      expect(tablesMissingResource(failure.info)).toBe('table_bucket');
    });

    it('refuses a page whose token repeats the one sent', async () => {
      const pool = service.agent.get(ORIGIN);
      pool
        .intercept({ path: `${NAMESPACES_PATH}?maxNamespaces=1000`, method: 'GET' })
        .reply(200, '{"continuationToken":"t1","namespaces":[]}', JSON_HEADERS);
      pool
        .intercept({ path: `${NAMESPACES_PATH}?continuationToken=t1&maxNamespaces=1000`, method: 'GET' })
        .reply(200, '{"continuationToken":"t1","namespaces":[]}', JSON_HEADERS)
        .times(3);
      await expect(names()).rejects.toMatchObject({ info: { kind: 'malformed_response', attempts: 3 } });
    });

    it('throws OssArgumentError on the first step for an invalid ARN or page size', async () => {
      await expect(collectFrom(client.listNamespaces('acs:osstables:cn-hangzhou::bucket/x'))).rejects.toThrow(
        OssArgumentError,
      );
      await expect(collectFrom(client.listNamespaces(ARN, { pageSize: 1001 }))).rejects.toThrow(
        OssArgumentError,
      );
      expect(service.requests()).toHaveLength(0);
    });
  });

  describe('listTables', () => {
    const TABLES_PATH = `/tables/${ENCODED_ARN}`;
    const TABLE_ARN = `${ARN}/table/7568a090-50f8-4808-8c8d-930a2c264076`;

    it('sends the namespace as a query parameter and reads every page', async () => {
      const pool = service.agent.get(ORIGIN);
      pool.intercept({ path: `${TABLES_PATH}?maxTables=1&namespace=my_namespace`, method: 'GET' }).reply(
        200,
        JSON.stringify({
          continuationToken: 'next',
          tables: [{ name: 'orders', namespace: ['my_namespace'], tableARN: TABLE_ARN, type: 'customer' }],
        }),
        JSON_HEADERS,
      );
      pool
        .intercept({
          path: `${TABLES_PATH}?continuationToken=next&maxTables=1&namespace=my_namespace`,
          method: 'GET',
        })
        .reply(200, '{"tables":[{"name":"events","namespace":["my_namespace"]}]}', JSON_HEADERS);
      const tables = await collectFrom(client.listTables(ARN, 'my_namespace', { pageSize: 1 }));
      expect(tables).toEqual([
        {
          tableBucketArn: ARN,
          namespace: 'my_namespace',
          name: 'orders',
          tableArn: TABLE_ARN,
          tableId: '7568a090-50f8-4808-8c8d-930a2c264076',
          type: 'customer',
          createdAt: null,
          modifiedAt: null,
          region: 'cn-hangzhou',
        },
        expect.objectContaining({ name: 'events', tableArn: null }) as unknown,
      ]);
      const [first] = service.requests();
      expect(verifySeenRequest(first!, tablesResourceSigningTarget('tables', ARN, []))).toMatchObject({
        ok: true,
      });
    });

    it('throws OssError for the GO2 missing namespace answer', async () => {
      service.agent
        .get(ORIGIN)
        .intercept({ path: `${TABLES_PATH}?maxTables=1000&namespace=space`, method: 'GET' })
        .reply(404, TABLES_ERROR_NO_SUCH_NAMESPACE_GO2, {
          headers: { 'x-oss-ec': '0015-00000101', 'x-oss-request-id': 'R-NS' },
        });
      await expect(collectFrom(client.listTables(ARN, 'space'))).rejects.toMatchObject({
        info: {
          operation: 'ListTables',
          httpStatus: 404,
          message: 'The specified namespace does not exist.',
        },
      });
    });

    it('fails the listing when a page lists a table of another table bucket', async () => {
      service.agent
        .get(ORIGIN)
        .intercept({ path: `${TABLES_PATH}?maxTables=1000&namespace=space`, method: 'GET' })
        .reply(
          200,
          JSON.stringify({
            tables: [
              {
                name: 't',
                namespace: ['space'],
                tableARN: 'acs:osstables:cn-hangzhou:1234567890:bucket/other-bucket/table/t1',
              },
            ],
          }),
          JSON_HEADERS,
        )
        .times(3);
      await expect(collectFrom(client.listTables(ARN, 'space'))).rejects.toMatchObject({
        info: { kind: 'malformed_response' },
      });
    });

    it('throws OssArgumentError on the first step for an empty namespace', async () => {
      await expect(collectFrom(client.listTables(ARN, ''))).rejects.toThrow(OssArgumentError);
    });
  });

  describe('getTableEncryption', () => {
    const TABLE_ENCRYPTION_PATH = `/tables/${ENCODED_ARN}/my_namespace/my_table/encryption`;

    function replyOnce(status: number, body: string, options: { headers: Record<string, string> }): void {
      service.agent
        .get(ORIGIN)
        .intercept({ path: TABLE_ENCRYPTION_PATH, method: 'GET' })
        .reply(status, body, options);
    }

    const read = () => client.getTableEncryption(ARN, 'my_namespace', 'my_table');

    it('sends the namespace and name as path segments, signed for osstables', async () => {
      replyOnce(200, TABLE_ENCRYPTION_AES256_GO2, JSON_HEADERS);
      await read();
      const [request] = service.requests();
      expect(request!.path).toBe(TABLE_ENCRYPTION_PATH);
      expect(
        verifySeenRequest(
          request!,
          tablesResourceSigningTarget('tables', ARN, ['my_namespace', 'my_table', 'encryption']),
        ),
      ).toMatchObject({ ok: true, product: 'osstables' });
    });

    it('reads the GO2 AES256 answer', async () => {
      replyOnce(200, TABLE_ENCRYPTION_AES256_GO2, JSON_HEADERS);
      await expect(read()).resolves.toEqual({
        outcome: 'configuration',
        configuration: { sseAlgorithm: 'AES256', kmsKeyArn: null },
        requestId: 'REQ-T',
      });
    });

    it('reads KMS with its key ARN', async () => {
      replyOnce(200, TABLE_ENCRYPTION_KMS_DOC, JSON_HEADERS);
      await expect(read()).resolves.toMatchObject({
        outcome: 'configuration',
        configuration: { sseAlgorithm: 'KMS', kmsKeyArn: 'acs:kms:cn-hangzhou:1234567890:key/key-id' },
      });
    });

    it('reads an empty configuration as no_configuration', async () => {
      replyOnce(200, '{"encryptionConfiguration":{}}', JSON_HEADERS);
      await expect(read()).resolves.toEqual({ outcome: 'no_configuration', requestId: 'REQ-T' });
    });

    it.each([
      ['the table', 'The specified table does not exist.', 'table_missing'],
      ['the namespace', 'The specified namespace does not exist.', 'namespace_missing'],
      ['the table bucket', 'The specified bucket does not exist.', 'bucket_missing'],
      [
        'the encryption configuration',
        'The specified encryption configuration does not exist.',
        'no_configuration',
      ],
    ])('reads a 404 for %s by its message', async (_label, message, outcome) => {
      replyOnce(...tablesError(404, 'NotFoundException', message, '0015-00000101'));
      await expect(read()).resolves.toEqual({ outcome, requestId: 'REQ-E' });
    });

    it('keeps a 404 that names nothing as an error', async () => {
      replyOnce(...tablesError(404, 'NotFoundException', 'Not found.'));
      await expect(read()).resolves.toMatchObject({
        outcome: 'error',
        error: { code: 'NotFoundException', operation: 'GetTableEncryption', httpStatus: 404 },
      });
    });

    it('returns a denial as an error with the x-oss-error-type code, without retrying', async () => {
      replyOnce(...tablesError(403, 'ForbiddenException', 'You are not authorized.', '0003-00000301'));
      await expect(read()).resolves.toMatchObject({
        outcome: 'error',
        error: {
          code: 'ForbiddenException',
          kind: 'service',
          attempts: 1,
          operation: 'GetTableEncryption',
        },
      });
    });

    it('retries a 500 and returns what the retry says', async () => {
      const pool = service.agent.get(ORIGIN);
      pool
        .intercept({ path: TABLE_ENCRYPTION_PATH, method: 'GET' })
        .reply(...tablesError(500, 'InternalServerErrorException', 'We encountered an internal error.'));
      pool
        .intercept({ path: TABLE_ENCRYPTION_PATH, method: 'GET' })
        .reply(200, TABLE_ENCRYPTION_KMS_DOC, JSON_HEADERS);
      await expect(read()).resolves.toMatchObject({ outcome: 'configuration' });
      expect(service.requests()).toHaveLength(2);
    });

    it.each([
      ['truncated JSON', '{"encryptionConfiguration":{"sseAlg'],
      [
        'a key without an algorithm',
        '{"encryptionConfiguration":{"kmsKeyArn":"acs:kms:cn-hangzhou:1:key/k"}}',
      ],
      ['nesting beyond the cap', '{"a":'.repeat(30) + '1' + '}'.repeat(30)],
    ])('reports %s as malformed_response, never as a configuration', async (_label, body) => {
      replyOnce(200, body, JSON_HEADERS);
      replyOnce(200, body, JSON_HEADERS);
      replyOnce(200, body, JSON_HEADERS);
      await expect(read()).resolves.toMatchObject({
        outcome: 'error',
        error: { kind: 'malformed_response', attempts: 3 },
      });
    });

    it('encodes a name that is not in the documented alphabet as one segment', async () => {
      service.agent
        .get(ORIGIN)
        .intercept({ path: `/tables/${ENCODED_ARN}/ns/a%2Fb%20c/encryption`, method: 'GET' })
        .reply(200, TABLE_ENCRYPTION_AES256_DOC, JSON_HEADERS);
      await expect(client.getTableEncryption(ARN, 'ns', 'a/b c')).resolves.toMatchObject({
        outcome: 'configuration',
      });
    });

    it('throws OssArgumentError for an invalid ARN or name', async () => {
      await expect(client.getTableEncryption('acs:oss:cn-hangzhou:1:bucket/x', 'ns', 't')).rejects.toThrow(
        OssArgumentError,
      );
      await expect(client.getTableEncryption(ARN, 'ns', '')).rejects.toThrow(OssArgumentError);
      await expect(client.getTableEncryption(ARN, 'n\u0000s', 't')).rejects.toThrow(OssArgumentError);
    });
  });
});

async function collectFrom<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of iterable) items.push(item);
  return items;
}
