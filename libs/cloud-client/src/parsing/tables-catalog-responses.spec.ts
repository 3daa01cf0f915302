import { LIST_NAMESPACES_GO2, LIST_TABLES_GO2 } from '../testing/oss-responses';
import { parseTableBucketArn } from '../table-bucket-arn';
import { MalformedDocumentError } from './safe-documents';
import { parseListNamespacesPage, parseListTablesPage } from './tables-catalog-responses';

const GO2_NAMESPACES_BUCKET = parseTableBucketArn('acs:osstables:cn-beijing:1234567890:bucket/demo-bucket');
const GO2_TABLES_BUCKET = parseTableBucketArn(
  'acs:osstables:ap-southeast-1:651322719100:bucket/donggu-table-bucket-test',
);
const TABLE_ARN = `${GO2_TABLES_BUCKET.arn}/table/7568a090-50f8-4808-8c8d-930a2c264076`;

function tablesPage(entries: readonly unknown[]): Buffer {
  return Buffer.from(JSON.stringify({ tables: entries }));
}

function table(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return { name: 'orders', namespace: ['sales'], tableARN: TABLE_ARN, ...overrides };
}

describe('parseListNamespacesPage', () => {
  it('reads the GO2 fixture: every field of both namespaces, and the token', () => {
    expect(parseListNamespacesPage(Buffer.from(LIST_NAMESPACES_GO2), GO2_NAMESPACES_BUCKET)).toEqual({
      continuationToken: 'CgxteV9uYW1lc3BhY2U-',
      items: [
        {
          tableBucketArn: GO2_NAMESPACES_BUCKET.arn,
          name: 'my_namespace',
          namespaceId: '22af7160-82b5-4d6a-b9fb-4d14c6e01199',
          tableBucketId: '340c6672-0a1f-4426-aff9-1a8e2ac7b0f4',
          ownerAccountId: '1760225545089999',
          createdAt: '2026-04-03T08:54:25.205905+00:00',
          createdBy: '1760225545089999',
        },
        {
          tableBucketArn: GO2_NAMESPACES_BUCKET.arn,
          name: 'demo_namespace',
          namespaceId: '22af7160-82b5-4d6a-b9fb-4d14c6e01198',
          tableBucketId: '340c6672-0a1f-4426-aff9-1a8e2ac7b0f5',
          ownerAccountId: '1760225545089999',
          createdAt: '2026-04-03T08:59:25.205905+00:00',
          createdBy: '1760225545089999',
        },
      ],
    });
  });

  it('reads the documented lowercase key, and an empty last page', () => {
    const page = parseListNamespacesPage(
      Buffer.from('{"namespaces":[{"namespace":["ns1"]}]}'),
      GO2_NAMESPACES_BUCKET,
    );
    expect(page.items.map((namespace) => namespace.name)).toEqual(['ns1']);
    expect(page.continuationToken).toBeNull();
    expect(parseListNamespacesPage(Buffer.from('{}'), GO2_NAMESPACES_BUCKET)).toEqual({
      items: [],
      continuationToken: null,
    });
  });

  it.each([
    ['a nested namespace path', '{"namespaces":[{"namespace":["a","b"]}]}'],
    ['an empty namespace path', '{"namespaces":[{"namespace":[]}]}'],
    ['a namespace given as a string', '{"namespaces":[{"namespace":"ns"}]}'],
    ['an empty name', '{"namespaces":[{"namespace":[""]}]}'],
    ['a name with a control character', '{"namespaces":[{"namespace":["a\\u0000b"]}]}'],
    ['both spellings of the key', '{"namespaces":[],"Namespaces":[]}'],
    ['namespaces that is not an array', '{"namespaces":{}}'],
    ['a non-string token', '{"namespaces":[],"continuationToken":7}'],
    ['an entry that is not an object', '{"namespaces":["ns"]}'],
  ])('rejects %s as malformed', (_label, json) => {
    expect(() => parseListNamespacesPage(Buffer.from(json), GO2_NAMESPACES_BUCKET)).toThrow(
      MalformedDocumentError,
    );
  });
});

describe('parseListTablesPage', () => {
  it('reads the GO2 fixture: names, namespace, ARNs and their table ids, times, type, token', () => {
    const page = parseListTablesPage(Buffer.from(LIST_TABLES_GO2), GO2_TABLES_BUCKET, 'my_namespace');
    expect(page.continuationToken).toBe('AAMA-EFRSURBSGk2VFNsQXNjVHQ2QU05UU5YN2xkME53VWI3U1B5RTl6WEh1UTRVc');
    expect(page.items).toEqual([
      {
        tableBucketArn: GO2_TABLES_BUCKET.arn,
        namespace: 'my_namespace',
        name: 'example_table',
        tableArn: TABLE_ARN,
        tableId: '7568a090-50f8-4808-8c8d-930a2c264076',
        type: 'customer',
        createdAt: '2026-04-07T02:15:12.186626+00:00',
        modifiedAt: '2026-04-07T02:15:12.186626+00:00',
        region: 'ap-southeast-1',
      },
      expect.objectContaining({
        name: 'example_table1',
        tableId: '757c17c1-532e-4a45-b5b3-d8783374fc2a',
      }) as unknown,
    ]);
  });

  it('keeps a table without an ARN, with null identity fields', () => {
    const page = parseListTablesPage(
      tablesPage([table({ tableARN: undefined })]),
      GO2_TABLES_BUCKET,
      'sales',
    );
    expect(page.items[0]).toMatchObject({ name: 'orders', tableArn: null, tableId: null, type: null });
  });

  it.each([
    ['a table of another namespace', table({ namespace: ['other'] })],
    [
      'a table ARN of another table bucket',
      table({ tableARN: 'acs:osstables:ap-southeast-1:651322719100:bucket/other/table/t1' }),
    ],
    [
      'a table ARN of another account',
      table({ tableARN: TABLE_ARN.replace('651322719100', '651322719101') }),
    ],
    ['a table bucket ARN in place of a table ARN', table({ tableARN: GO2_TABLES_BUCKET.arn })],
    ['a table without a name', table({ name: undefined })],
    ['a name that is not a string', table({ name: 5 })],
    ['a name longer than 255 characters', table({ name: 'a'.repeat(256) })],
    ['a table without a namespace', table({ namespace: undefined })],
  ])('rejects %s as malformed', (_label, entry) => {
    expect(() => parseListTablesPage(tablesPage([entry]), GO2_TABLES_BUCKET, 'sales')).toThrow(
      MalformedDocumentError,
    );
  });

  it('rejects JSON nested beyond the cap as malformed', () => {
    const body = Buffer.from(`{"tables":${'['.repeat(30)}${']'.repeat(30)}}`);
    expect(() => parseListTablesPage(body, GO2_TABLES_BUCKET, 'sales')).toThrow(MalformedDocumentError);
  });
});
