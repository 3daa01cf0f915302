import fc from 'fast-check';
import { canonicalUri } from './canonical-uri';
import {
  tablesRequestPath,
  tablesResourcePath,
  tablesResourceSigningTarget,
  tablesSigningTarget,
  tablesTargetFromRequestPath,
  type TablesResourceFamily,
} from './tables-path';

const ARN = 'acs:osstables:cn-hangzhou:1234567890:bucket/my-table-bucket';

describe('tablesTargetFromRequestPath', () => {
  it('reads the ARN from the second segment, decoded once', () => {
    expect(
      tablesTargetFromRequestPath(
        '/buckets/acs%3Aosstables%3Acn-hangzhou%3A1234567890%3Abucket%2Fmy-table-bucket/encryption',
      ),
    ).toEqual({ product: 'osstables', path: `buckets/${ARN}/encryption`, tableBucketArn: ARN });
  });

  it('has no ARN for the bucket collection', () => {
    expect(tablesTargetFromRequestPath('/buckets')).toEqual({ product: 'osstables', path: 'buckets' });
  });

  it('recovers the signing target of every path tablesRequestPath builds', () => {
    const arn = fc.option(
      fc
        .tuple(fc.stringMatching(/^\d{1,12}$/), fc.stringMatching(/^[a-z0-9-]{3,32}$/))
        .map(([account, name]) => `acs:osstables:cn-hangzhou:${account}:bucket/${name}`),
      { nil: undefined },
    );
    fc.assert(
      fc.property(arn, fc.string({ unit: 'grapheme' }), (tableBucketArn, suffix) => {
        expect(tablesTargetFromRequestPath(tablesRequestPath(tableBucketArn, suffix))).toEqual(
          tablesSigningTarget(tableBucketArn, suffix),
        );
      }),
    );
  });
});

describe('tablesResourcePath', () => {
  // GO2 oss/tables/api_op_table_encryption_test.go (TestMarshalInput_GetTableEncryption) expects the
  // key `tables/acs%3Aosstables%3Acn-beijing%3A1234567890%3Abucket%2Fdemo-bucket/space/table/encryption`.
  const GO2_ARN = 'acs:osstables:cn-beijing:1234567890:bucket/demo-bucket';
  const GO2_ENCODED_ARN = 'acs%3Aosstables%3Acn-beijing%3A1234567890%3Abucket%2Fdemo-bucket';

  it('builds the GetTableEncryption path of the GO2 fixture', () => {
    expect(tablesResourcePath('tables', GO2_ARN, ['space', 'table', 'encryption'])).toBe(
      `/tables/${GO2_ENCODED_ARN}/space/table/encryption`,
    );
  });

  it('builds the ListNamespaces and ListTables paths of the GO2 fixtures', () => {
    expect(tablesResourcePath('namespaces', GO2_ARN, [])).toBe(`/namespaces/${GO2_ENCODED_ARN}`);
    expect(tablesResourcePath('tables', GO2_ARN, [])).toBe(`/tables/${GO2_ENCODED_ARN}`);
  });

  it('encodes each segment as one segment, slash included', () => {
    expect(tablesResourcePath('tables', ARN, ['a/b', 'c d'])).toMatch(/\/a%2Fb\/c%20d$/);
  });

  it('signs the ARN twice: scope prefix, then the decoded path (PY2 signer/tables_v4.py)', () => {
    const target = tablesResourceSigningTarget('tables', ARN, ['my_namespace', 'my_table', 'encryption']);
    expect(target).toEqual({
      product: 'osstables',
      path: `tables/${ARN}/my_namespace/my_table/encryption`,
      tableBucketArn: ARN,
    });
    expect(canonicalUri(target, 'cn-hangzhou')).toBe(
      '/acs%3Aosstables%3Acn-hangzhou%3A1234567890%3Abucket/my-table-bucket' +
        '/tables/acs%3Aosstables%3Acn-hangzhou%3A1234567890%3Abucket/my-table-bucket/my_namespace/my_table/encryption',
    );
  });

  it('lets the server recover the signing target of every path it builds', () => {
    const family = fc.constantFrom<TablesResourceFamily>('buckets', 'namespaces', 'tables');
    const arn = fc
      .tuple(fc.stringMatching(/^\d{1,12}$/), fc.stringMatching(/^[a-z0-9-]{3,32}$/))
      .map(([account, name]) => `acs:osstables:cn-hangzhou:${account}:bucket/${name}`);
    const segments = fc.array(fc.string({ unit: 'grapheme', minLength: 1 }), { maxLength: 3 });
    fc.assert(
      fc.property(family, arn, segments, (resourceFamily, tableBucketArn, parts) => {
        expect(
          tablesTargetFromRequestPath(tablesResourcePath(resourceFamily, tableBucketArn, parts)),
        ).toEqual(tablesResourceSigningTarget(resourceFamily, tableBucketArn, parts));
      }),
    );
  });
});
