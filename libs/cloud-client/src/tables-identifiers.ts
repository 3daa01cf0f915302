import { OssArgumentError } from './errors';
import { tryParseTableBucketArn } from './table-bucket-arn';

/** The parts of a table ARN `acs:osstables:{region}:{accountId}:bucket/{bucket}/table/{tableId}`. */
export interface TableArn {
  readonly arn: string;
  /** The ARN of the table bucket that holds the table (the part before `/table/`). */
  readonly tableBucketArn: string;
  readonly region: string;
  readonly accountId: string;
  readonly bucketName: string;
  /** The service's id of the table (a UUID in every published sample). */
  readonly tableId: string;
}

const TABLE_QUALIFIER = '/table/';
// Published ids are UUIDs (GO2 oss/tables/client_mock_test.go ListTables and GetTable fixtures);
// the SDK unit fixtures also use `table_id`. Accept the id characters both use.
const TABLE_ID = /^[A-Za-z0-9_-]{1,128}$/;

/**
 * Parses a table ARN as ListTables reports it (`tableARN`, GO2 oss/tables/client_mock_test.go
 * ListTables fixture: `acs:osstables:ap-southeast-1:651322719100:bucket/donggu-table-bucket-test/
 * table/7568a090-50f8-4808-8c8d-930a2c264076`). Null when it is not one.
 */
export function tryParseTableArn(arn: string): TableArn | null {
  const qualifier = arn.indexOf(TABLE_QUALIFIER);
  if (qualifier < 0) return null;
  const tableBucket = tryParseTableBucketArn(arn.slice(0, qualifier));
  const tableId = arn.slice(qualifier + TABLE_QUALIFIER.length);
  if (tableBucket === null || !TABLE_ID.test(tableId)) return null;
  return {
    arn,
    tableBucketArn: tableBucket.arn,
    region: tableBucket.region,
    accountId: tableBucket.accountId,
    bucketName: tableBucket.name,
    tableId,
  };
}

const MAX_NAME_LENGTH = 255;

/** C0 controls and DEL: never part of a name, and dangerous in a log line or a path. */
function hasControlCharacter(text: string): boolean {
  for (let index = 0; index < text.length; index += 1) {
    const code = text.charCodeAt(index);
    if (code < 0x20 || code === 0x7f) return true;
  }
  return false;
}

/**
 * Whether a namespace or table name can be addressed: 1-255 characters, no control characters.
 * The documented rules are stricter (lowercase letters, digits and `_`, no leading or trailing `_`;
 * help.aliyun.com CreateNamespace and create-table pages); the client stays lenient so that a rule
 * the service relaxes later does not turn a whole table bucket into a malformed listing. Every name
 * is percent-encoded as one path segment, so any character is safe on the wire.
 */
export function isAddressableTablesName(name: string): boolean {
  return name.length >= 1 && name.length <= MAX_NAME_LENGTH && !hasControlCharacter(name);
}

/** {@link isAddressableTablesName}, throwing {@link OssArgumentError} for a caller's bad name. */
export function assertAddressableTablesName(kind: 'namespace' | 'table', name: string): void {
  if (!isAddressableTablesName(name)) {
    throw new OssArgumentError(`invalid ${kind} name: ${JSON.stringify(name)}`);
  }
}
