import { AuditError } from './audit-error';

/** The parts of a table bucket ARN `acs:osstables:{region}:{accountId}:bucket/{name}`. */
export interface TableBucketArnParts {
  readonly region: string;
  readonly accountId: string;
  readonly name: string;
}

/** Outcome of parsing a table bucket ARN; the error explains which rule the text breaks. */
export type TableBucketArnParseResult =
  | { readonly ok: true; readonly value: TableBucketArnParts }
  | { readonly ok: false; readonly error: AuditError };

const REGION = /^[a-z0-9-]+$/;
const ACCOUNT_ID = /^[0-9]+$/;
const TABLE_BUCKET_NAME = /^[a-z0-9][a-z0-9-]{1,30}[a-z0-9]$/;
const RESERVED_NAME_PREFIXES = ['oss', 'acs', 'aliyun', 'alibaba', 'aws'];

/**
 * Parses a table bucket ARN by the rules of docs/wire/oss.md §7.5: `acs:` prefix, service `osstables`,
 * fields split on the first four `:`, a `[a-z0-9-]` region, a numeric account id, and a resource
 * `bucket/{name}` with no qualifier whose name follows the table bucket naming rules (3-32 characters
 * of `[a-z0-9-]`, no leading or trailing `-`, no reserved prefix `oss`, `acs`, `aliyun`, `alibaba`,
 * `aws`).
 */
export function parseTableBucketArn(arn: string): TableBucketArnParseResult {
  const fields = splitArn(arn);
  if (fields === null) {
    return invalid(arn, 'expected acs:osstables:{region}:{accountId}:bucket/{name}');
  }
  const [prefix, service, region, accountId, resource] = fields;
  if (prefix !== 'acs') {
    return invalid(arn, 'must start with "acs:"');
  }
  if (service !== 'osstables') {
    return invalid(arn, `service must be "osstables", not "${service}"`);
  }
  if (!REGION.test(region)) {
    return invalid(arn, 'region must be a region id of lowercase letters, digits and "-"');
  }
  if (!ACCOUNT_ID.test(accountId)) {
    return invalid(arn, 'account id must be digits');
  }
  if (!resource.startsWith('bucket/')) {
    return invalid(arn, 'resource must be "bucket/{name}"');
  }
  const name = resource.slice('bucket/'.length);
  if (name.includes('/')) {
    return invalid(arn, 'a table bucket ARN names the bucket only (no table or other qualifier)');
  }
  const nameProblem = tableBucketNameProblem(name);
  if (nameProblem !== null) {
    return invalid(arn, nameProblem);
  }
  return { ok: true, value: { region, accountId, name } };
}

/** Builds a table bucket ARN; throws `INVALID_TABLE_BUCKET_ARN` when the parts cannot form a valid one. */
export function tableBucketArn(region: string, accountId: string, name: string): string {
  const arn = `acs:osstables:${region}:${accountId}:bucket/${name}`;
  const parsed = parseTableBucketArn(arn);
  if (!parsed.ok) {
    throw parsed.error;
  }
  return arn;
}

/** The stable resource key of an OSS bucket: bucket names are globally unique. */
export function bucketResourceKey(name: string): string {
  return `oss:${name}`;
}

function splitArn(arn: string): [string, string, string, string, string] | null {
  const [prefix, service, region, accountId, ...resource] = arn.split(':');
  if (prefix === undefined || service === undefined || region === undefined || accountId === undefined) {
    return null;
  }
  return resource.length === 0 ? null : [prefix, service, region, accountId, resource.join(':')];
}

function tableBucketNameProblem(name: string): string | null {
  if (!TABLE_BUCKET_NAME.test(name)) {
    return 'bucket name must be 3-32 lowercase letters, digits or "-", not starting or ending with "-"';
  }
  const reserved = RESERVED_NAME_PREFIXES.find((prefix) => name.startsWith(prefix));
  return reserved === undefined ? null : `bucket name must not start with "${reserved}"`;
}

function invalid(arn: string, problem: string): TableBucketArnParseResult {
  return {
    ok: false,
    error: new AuditError('INVALID_TABLE_BUCKET_ARN', `Invalid table bucket ARN "${arn}": ${problem}`),
  };
}
