import { OssArgumentError } from './errors';
import { assertAddressableTablesName, isAddressableTablesName, tryParseTableArn } from './tables-identifiers';

describe('tryParseTableArn', () => {
  it('splits the GO2 ListTables fixture ARN into its table bucket and table id', () => {
    expect(
      tryParseTableArn(
        'acs:osstables:ap-southeast-1:651322719100:bucket/donggu-table-bucket-test/table/7568a090-50f8-4808-8c8d-930a2c264076',
      ),
    ).toEqual({
      arn: 'acs:osstables:ap-southeast-1:651322719100:bucket/donggu-table-bucket-test/table/7568a090-50f8-4808-8c8d-930a2c264076',
      tableBucketArn: 'acs:osstables:ap-southeast-1:651322719100:bucket/donggu-table-bucket-test',
      region: 'ap-southeast-1',
      accountId: '651322719100',
      bucketName: 'donggu-table-bucket-test',
      tableId: '7568a090-50f8-4808-8c8d-930a2c264076',
    });
  });

  it.each([
    ['a table bucket ARN', 'acs:osstables:cn-hangzhou:1234567890:bucket/demo'],
    // The GO2 CreateTable fixture misspells the service `osstable`; such an ARN is not ours to trust.
    [
      'another service',
      'acs:osstable:cn-hangzhou:1234567890:bucket/demo-bucket/table/16dc6c23-7a64-4f55-af2f-ee243524a5cc',
    ],
    ['an empty table id', 'acs:osstables:cn-hangzhou:1234567890:bucket/demo/table/'],
    ['a table id with a slash', 'acs:osstables:cn-hangzhou:1234567890:bucket/demo/table/a/b'],
    ['an invalid table bucket', 'acs:osstables:cn-hangzhou::bucket/demo/table/t1'],
  ])('refuses %s', (_label, arn) => {
    expect(tryParseTableArn(arn)).toBeNull();
  });
});

describe('isAddressableTablesName', () => {
  it.each(['my_namespace', 'a', 'x'.repeat(255), 'Mixed-Case.name'])('accepts %j', (name) => {
    expect(isAddressableTablesName(name)).toBe(true);
  });

  it.each(['', 'x'.repeat(256), 'tab\there', 'nul\u0000', 'del\u007f'])('refuses %j', (name) => {
    expect(isAddressableTablesName(name)).toBe(false);
  });

  it('throws OssArgumentError naming the kind for a bad caller name', () => {
    expect(() => {
      assertAddressableTablesName('table', '');
    }).toThrow(OssArgumentError);
    expect(() => {
      assertAddressableTablesName('namespace', 'a\nb');
    }).toThrow(/invalid namespace name/);
  });
});
