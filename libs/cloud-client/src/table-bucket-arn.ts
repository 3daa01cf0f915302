import { isValidBucketName, isValidRegion } from './endpoints';
import { OssArgumentError } from './errors';

/** The parts of a table bucket ARN `acs:osstables:{region}:{accountId}:bucket/{name}`. */
export interface TableBucketArn {
  readonly arn: string;
  readonly region: string;
  readonly accountId: string;
  readonly name: string;
}

/**
 * Parses and validates a table bucket ARN (docs/wire/oss.md §7.5, after GO2 `oss/arn/arn.go`): prefix
 * `acs:osstables:`, a valid region id, a numeric account id, and a resource `bucket/{name}` with no
 * qualifier whose name satisfies the bucket naming rule. Returns null when any part is wrong.
 */
export function tryParseTableBucketArn(arn: string): TableBucketArn | null {
  const parts = arn.split(':');
  if (parts.length !== 5) return null;
  const [partition, service, region, accountId, resource] = parts as [string, string, string, string, string];
  if (partition !== 'acs' || service !== 'osstables') return null;
  if (!isValidRegion(region) || !/^\d+$/.test(accountId)) return null;
  const slash = resource.indexOf('/');
  if (slash < 0 || resource.slice(0, slash) !== 'bucket') return null;
  const name = resource.slice(slash + 1);
  if (!isValidBucketName(name)) return null;
  return { arn, region, accountId, name };
}

/** {@link tryParseTableBucketArn}, throwing {@link OssArgumentError} on an invalid ARN. */
export function parseTableBucketArn(arn: string): TableBucketArn {
  const parsed = tryParseTableBucketArn(arn);
  if (parsed === null) throw new OssArgumentError(`invalid table bucket ARN: ${JSON.stringify(arn)}`);
  return parsed;
}
