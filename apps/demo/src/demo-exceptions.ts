import type { FleetSpec } from '@app/oss-emulator';
import { stringify } from 'yaml';

import { changeTarget, type FleetChange } from './demo-fleet';

const DAY_MS = 86_400_000;

/** The demo's exceptions file: one accepted risk, reviewed as code. */
export interface DemoExceptionsFile {
  readonly yaml: string;
  /** The unencrypted bucket it covers. */
  readonly bucket: string;
}

/**
 * One exception as code: the first unencrypted bucket of the first account that the demo's changes
 * leave alone (so it stays unencrypted, and suppressed, in both scans) is accepted as a risk for 30
 * days (finding `unencrypted` and the Cloud Config rule that sees it), created a day before `now` and
 * approved by a different person, as a reviewed git change would be.
 */
export function demoExceptionsFile(
  fleet: FleetSpec,
  changes: readonly FleetChange[],
  now: Date,
): DemoExceptionsFile {
  const changed = new Set(changes.map(changeTarget));
  const bucket = fleet.accounts[0]?.buckets.find(
    (candidate) => candidate.encryption == null && !changed.has(candidate.name),
  );
  if (bucket === undefined) throw new Error('The demo fleet has no unencrypted bucket in its first account');
  const created = new Date(now.getTime() - DAY_MS).toISOString();
  const document = {
    version: 1,
    exceptions: [
      {
        id: 'legacy-unencrypted',
        scope: { type: 'resource', resourceKey: `oss:${bucket.name}` },
        controlIds: ['config-oss-bucket-server-side-encryption-enabled'],
        findingRules: ['unencrypted'],
        reason: 'Legacy export bucket, emptied and deleted with DEMO-1 by the end of the month',
        owner: 'data-platform@example.com',
        approver: 'security-lead@example.com',
        ticketUrl: 'https://tickets.example.com/browse/DEMO-1',
        createdBy: 'data-platform@example.com',
        createdAt: created,
        approvedAt: created,
        expiresAt: new Date(now.getTime() + 30 * DAY_MS).toISOString(),
      },
    ],
  };
  return { yaml: stringify(document), bucket: bucket.name };
}
