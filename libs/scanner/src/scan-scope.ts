import { compileNameScope, parseTableBucketArn } from '@app/audit';
import type { ScanTaskOutcome, UnseenResource, UnseenVerdict } from '@app/persistence';

import { ALL_REGIONS, type AccountPlan, type EnumerateTaskPayload, type ScanPlan } from './scan-plan';

/**
 * Judges a present resource the scan did not observe, by the scan's own plan and by which of its
 * listings completed:
 * - `out_of_scope`: the plan does not cover it (its account, region, name or kind left the
 *   configuration). Its findings close as out of scope, never as fixed.
 * - `vanished`: a listing that covers it completed without it (or, named in the configuration, the
 *   service said it does not exist): it is gone.
 * - `unproved`: the listing that would tell did not complete. Nothing is said about it; it stays as
 *   it was, visibly not observed in the latest scan.
 */
export function createUnseenJudge(
  plan: ScanPlan,
  outcomes: readonly ScanTaskOutcome[],
): (resource: UnseenResource) => UnseenVerdict {
  const accounts = new Map(plan.accounts.map((account) => [account.alias, account]));
  const proved = new Set<string>();
  const missing = new Set<string>();
  for (const outcome of outcomes) {
    for (const key of outcome.result?.missing ?? []) missing.add(`${outcome.accountAlias}\n${key}`);
    if (
      outcome.kind !== 'enumerate' ||
      outcome.status !== 'done' ||
      outcome.result?.enumerationComplete !== true
    ) {
      continue;
    }
    const payload = outcome.plan as EnumerateTaskPayload | null;
    proved.add(
      listingKey(outcome.accountAlias, outcome.resourceKind, payload?.tableBucketArn ?? outcome.region),
    );
  }
  const scopes = new Map(
    plan.accounts.map((account) => [
      account.alias,
      { names: compileNameScope(account), tables: compileNameScope(account.tables) },
    ]),
  );

  return ({ ref, parentSeen, namedByUnseen }) => {
    const account = accounts.get(ref.accountAlias);
    const names = scopes.get(ref.accountAlias);
    if (account === undefined || names === undefined) return 'out_of_scope';
    switch (ref.kind) {
      case 'bucket': {
        const configured = account.configured.includes(ref.resourceKey);
        const listed = coversBucket(account, ref.region) && names.names(ref.name);
        if (!configured && !listed) return 'out_of_scope';
        if (configured && missing.has(`${account.alias}\n${ref.name}`)) return 'vanished';
        return listed && proved.has(listingKey(account.alias, 'bucket', ALL_REGIONS))
          ? 'vanished'
          : 'unproved';
      }
      case 'table_bucket': {
        const configured = account.configured.includes(ref.resourceKey);
        const listed = account.tableBucketRegions.includes(ref.region) && names.names(ref.name);
        if (!configured && !listed) return 'out_of_scope';
        if (configured && missing.has(`${account.alias}\n${ref.name}`)) return 'vanished';
        return listed && proved.has(listingKey(account.alias, 'table_bucket', ref.region))
          ? 'vanished'
          : 'unproved';
      }
      case 'table': {
        const parentKey = ref.parentKey ?? '';
        const parent = parseTableBucketArn(parentKey);
        const parentPlanned =
          parent.ok &&
          (account.configured.includes(parentKey) ||
            (account.tableBucketRegions.includes(parent.value.region) && names.names(parent.value.name)));
        if (!parentPlanned || !account.tables.discover || !names.tables(ref.name)) return 'out_of_scope';
        if (proved.has(listingKey(account.alias, 'table', parentKey))) return 'vanished';
        // The table bucket itself is gone from a listing that completed: its tables went with it.
        const parentListed = proved.has(listingKey(account.alias, 'table_bucket', parent.value.region));
        return parentSeen === false && parentListed ? 'vanished' : 'unproved';
      }
      case 'kms_key':
        // Observed only while an audited resource names it: named by nothing this scan read, and by
        // nothing it could not read (not observed, or `unknown`), it leaves the audit.
        return namedByUnseen ? 'unproved' : 'out_of_scope';
    }
  };
}

function coversBucket(account: AccountPlan, region: string): boolean {
  return account.bucketRegions === 'all' || (account.bucketRegions?.includes(region) ?? false);
}

function listingKey(accountAlias: string, kind: string, scope: string): string {
  return `${accountAlias}\n${kind}\n${scope}`;
}
